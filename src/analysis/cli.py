"""The ``tightrope`` command line: build, params, data validate/dictionary, sections, doctor."""

from __future__ import annotations

import argparse
import sys

from . import paths
from .errors import TightropeError


def _cmd_params(args) -> int:
    from .params import describe, resolve

    try:
        resolved = resolve({})  # what the defaults that depend on the data stand for now
    except (TightropeError, OSError):
        resolved = None  # the table without them; `tightrope data validate` names the problem
    print(describe(resolved))
    return 0


def _cmd_sections(args) -> int:
    from .sections import SECTIONS

    for spec in SECTIONS:
        print(f"  {spec.key}  {spec.slug:<26} {spec.heading:<40} notebooks/{spec.notebook}")
    return 0


def _cmd_build(args) -> int:
    from . import environment, uptodate
    from .errors import ParameterError
    from .export import FORMATS
    from .outdir import out_folder, recover
    from .params import parse_assignments
    from .sections import select

    environment.check()
    raw = parse_assignments(args.param or [])
    if args.as_of is not None:
        if "as_of" in raw and raw["as_of"].strip() != args.as_of.strip():
            raise ParameterError(f"--as-of {args.as_of} and -p as_of={raw['as_of']} disagree; "
                                 "give the date once")
        raw["as_of"] = args.as_of
    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ParameterError(f"unknown format {', '.join(unknown) or repr(args.format)}; "
                             f"formats: {', '.join(FORMATS)}")
    if args.keep_typ and "pdf" not in formats:
        raise ParameterError("--keep-typ keeps the PDF's Typst source; add pdf to --format "
                             "(e.g. --format html,pdf) or leave --keep-typ out")
    specs = select(args.sections)
    # nothing changed since the last build of this request -> leave the report as it is
    out_root = out_folder(args.out)
    recover(out_root)  # a build killed earlier: its last good report back, its leftovers gone
    try:
        fp = uptodate.fingerprint(raw, [s.key for s in specs] if args.sections else None,
                                  formats, args.keep_typ)
    except (TightropeError, OSError, RuntimeError, ValueError):
        fp = None  # inputs that cannot even be hashed: resolve() below names the problem
    current = None if args.force or fp is None else uptodate.find_current(out_root, fp)
    if current is not None:
        print(f"Report up to date: {current}\n  every input (parameters, data, notebooks, library)"
              " is unchanged since it was built; nothing to do (--force rebuilds)")
        for kind in formats:
            print(f"  {kind}: {current / f'report.{kind}'}")
        return 0

    from .engine import start_early

    start_early()
    from .build import build, resolve_params

    p = resolve_params(raw)
    result = build(p, specs, out_root=out_root, formats=formats,
                   keep_typ=args.keep_typ, jobs=args.jobs, force=args.force,
                   export_in_engine=True)
    if fp is not None:
        uptodate.record(result.folder, fp)
    for kind, path in result.outputs.items():
        print(f"  {kind}: {path}")
    return 0


def _cmd_batch(args) -> int:
    from . import environment
    from .batch import run

    environment.check()

    results = run(args.file, out=args.out, scheduler=args.scheduler, force=args.force,
                  return_files=args.return_files, jobs=args.jobs)
    return 1 if any(r.status == "failed" for r in results) else 0


def _cmd_data(args) -> int:
    from .validation import validate

    if args.data_command == "refresh":
        from .refresh import refresh

        refresh(args.source, args.file, use_network=args.download, write=args.write,
                data_dir=args.data_dir)
        return 0
    if args.data_command == "validate":
        counts = validate(_data_dir_option(args.data_dir),
                          progress=lambda line: print(line, file=sys.stderr))
        width = max(len(n) for n in counts)
        for name, rows in counts.items():
            print(f"  {name:<{width}}  {rows:>5} rows")
        print(f"evidence base valid: {len(counts)} tables, {sum(counts.values())} rows")
        return 0
    from . import paths
    from .datadict import write_dictionary

    folder = _data_dir_option(args.data_dir)
    changed = write_dictionary(folder, check=args.check)
    readme = paths.data_dir(folder) / "README.md"
    if args.check and changed:
        print(f"{readme} is out of date: run `tightrope data dictionary`", file=sys.stderr)
        return 1
    print(f"{readme} is up to date" if not changed else f"{readme} written")
    return 0


def _data_dir_option(raw: str | None):
    """--data-dir checked like the data_dir parameter (one message for a file, a missing folder,
    an unknown ~user)."""
    if raw is None:
        return None
    from .params import _parse_path

    return _parse_path("--data-dir", raw)


def _positive_int(text: str) -> int:
    if not text.strip().isascii() or not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return int(text)


def _cmd_doctor(args) -> int:
    from .doctor import run_doctor

    return run_doctor()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tightrope")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="tightrope",
        description="Build and check the Tightrope report (Armenia between Russia and the West).")
    top.add_argument("--version", action="version", version=f"tightrope {_version()}")
    sub = top.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute the section notebooks and export the report")
    b.add_argument("--as-of", metavar="DATE", help="shorthand for -p as_of=DATE")
    b.add_argument("-p", "--param", action="append", metavar="NAME=VALUE",
                   help="a report parameter (see `tightrope params`); repeatable")
    b.add_argument("--sections", nargs="+", action="extend", metavar="SECTION",
                   help="only these sections (keys like 02, or slugs such as "
                        "roots_of_discontent; `tightrope sections` lists both; space- or "
                        "comma-separated, repeatable); default: all")
    b.add_argument("--out", metavar="DIR", help=f"reports folder (default: {paths.REPORTS_DIR})")
    b.add_argument("--format", default="html,pdf", help="comma-separated: html,pdf (default both)")
    b.add_argument("--keep-typ", action="store_true", help="keep the generated Typst source")
    b.add_argument("--jobs", type=_positive_int, default=None, help="sections run at once (default: 2)")
    b.add_argument("--force", action="store_true", help="re-run sections whose inputs are unchanged")
    b.set_defaults(func=_cmd_build)

    bt = sub.add_parser("batch", help="build many editions (dates x parameter sets) from a file",
                        description="Build every edition a TOML or YAML file lists (see README, "
                                    "'Many editions'), locally on warm workers or on a Dask "
                                    "cluster.")
    bt.add_argument("file", metavar="FILE", help="editions.toml or editions.yaml")
    bt.add_argument("--scheduler", metavar="ADDRESS",
                    help="a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786 (default: "
                         "build here)")
    bt.add_argument("--out", metavar="DIR", help=f"reports folder (default: {paths.REPORTS_DIR});"
                                                 " with --scheduler, one the workers can write")
    bt.add_argument("--return-files", action="store_true",
                    help="with --scheduler: workers send the files back instead of writing --out")
    bt.add_argument("--jobs", type=_positive_int, default=None, help="sections run at once (default: 2)")
    bt.add_argument("--force", action="store_true", help="rebuild editions that are up to date")
    bt.set_defaults(func=_cmd_batch)

    sub.add_parser("params", help="list the report parameters").set_defaults(func=_cmd_params)
    sub.add_parser("sections", help="list the sections").set_defaults(func=_cmd_sections)
    sub.add_parser("doctor", help="check every export route").set_defaults(func=_cmd_doctor)

    d = sub.add_parser("data", help="check or document the evidence base")
    dsub = d.add_subparsers(dest="data_command", required=True)
    v = dsub.add_parser("validate", help="check every table against data/datapackage.json")
    v.add_argument("--data-dir", metavar="DIR", help="evidence base folder (default: data/)")
    dd = dsub.add_parser("dictionary", help="write data/README.md from the descriptor")
    dd.add_argument("--data-dir", metavar="DIR")
    dd.add_argument("--check", action="store_true", help="fail if data/README.md is stale")
    rf = dsub.add_parser("refresh", help="turn a publisher's own file into a tidy table "
                         "(prints the changes; writes only with --write)")
    rf.add_argument("source", metavar="SOURCE",
                    help="sipri-milex, sipri-arms, worldbank, comtrade or cba-transfers")
    rf.add_argument("file", nargs="?", metavar="FILE", help="the publisher's file (offline)")
    rf.add_argument("--download", action="store_true",
                    help="fetch the file from the publisher (the only network use)")
    rf.add_argument("--write", action="store_true", help="store the changes in data/")
    rf.add_argument("--data-dir", metavar="DIR")
    d.set_defaults(func=_cmd_data)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except TightropeError as exc:
        print(f"tightrope: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tightrope: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # the environment: disk full, read-only folder, permissions
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"tightrope: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
