"""Work the build hands to forked children of the warm parent (see WarmPool.call)."""

from __future__ import annotations
