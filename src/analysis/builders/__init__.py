"""Section builders: one module per report section. A notebook cell calls one function, which
returns a numbered Figure, a Table or data-driven Prose."""
