"""Reading what users write: YAML files with limits, and values shortened for messages.

Scenario files (:mod:`sim.scenarios`) and experiment files (``experiments.spec``) are read
by :func:`load_yaml_file` (or :func:`load_yaml_text`), which is PyYAML's safe loader with
four limits, so that a careless or hostile file gets a short message instead of a hang, a
silent surprise or a memory blow-up:

* a file larger than :data:`MAX_FILE_BYTES`, or one that is not a regular file (a device,
  a pipe), is refused before it is read;
* aliases (``*name``) are refused: they are what makes a 'billion laughs' file expand
  exponentially, and no scenario or experiment file needs them;
* a key that appears twice in one mapping is refused (YAML says keys are unique; PyYAML
  would silently keep the last one);
* nesting deeper than :data:`MAX_DEPTH` is refused (the parser recurses per level).

Messages name the line and column, never quote the file's content, and every value they
show goes through :func:`short_repr`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_VALUE_CHARS = 80
_NAME_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,79}$")


class YamlInputError(ValueError):
    """A YAML file or text that is refused.

    Attributes:
        origin: The file (or ``<text>``).
        problem: What is wrong, without the file's content.
        line: 1-based line of the problem, or ``None``.
        column: 1-based column of the problem, or ``None``.
    """

    def __init__(
        self, origin: str, problem: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.origin = origin
        self.problem = problem
        self.line = line
        self.column = column
        super().__init__(f"{origin}: {self.where}: {problem}" if line else f"{origin}: {problem}")

    @property
    def where(self) -> str:
        """``line L, column C`` (or ``(file)`` when the place is unknown)."""
        return f"line {self.line}, column {self.column}" if self.line else "(file)"


def short_repr(value: Any, limit: int = MAX_VALUE_CHARS) -> str:
    """``repr(value)``, cut to about ``limit`` characters for a message.

    Args:
        value: Anything a user wrote (a huge string, a long list, a 400-digit number).
        limit: Most characters kept.

    Returns:
        The representation, with ``...`` and the full length when cut.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"<an integer of {len(str(abs(value)))} digits>"
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 3]}... ({len(text)} characters)"


def key_text(key: object) -> str:
    """A mapping key for a message: the key when it looks like a name, else a description.

    A file that is not a scenario or experiment file at all (``/etc/shadow`` given by
    mistake or malice) parses as a mapping whose keys are its lines; they are never echoed.
    """
    if isinstance(key, str) and _NAME_RE.match(key):
        return key
    return f"<a key of {len(str(key))} characters that is not a name>"


#: PyYAML's parser in C when it was built with libyaml (about 10x faster), else Python's
_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting from the parser's events, before any node is built.

    Raises:
        yaml.MarkedYAMLError: At the first alias or the first level too deep.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_BASE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in scenario and experiment files; "
                "write the value out",
                event.start_mark,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


class _NoDuplicateKeysLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            first_line: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    seen = key in first_line
                except TypeError:
                    continue  # an unhashable key: the base class says so
                if seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {short_repr(key)} (first given on line "
                        f"{first_line[key]}); each key may appear once",
                        key_node.start_mark,
                    )
                first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_yaml_text(text: str, origin: str = "<text>") -> Any:
    """Parse YAML text with the limits of this module.

    Args:
        text: The YAML text.
        origin: Name of the file or source, for messages.

    Returns:
        The parsed data (mappings, lists, strings, numbers, booleans, dates, ``None``).

    Raises:
        YamlInputError: Too large, not valid YAML, an alias, a duplicate key, too deep.
    """
    if len(text) > MAX_FILE_BYTES:
        raise YamlInputError(origin, f"larger than {MAX_FILE_BYTES:,} characters; refused")
    try:
        _check_events(text)
        return yaml.load(text, Loader=_NoDuplicateKeysLoader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if mark is None:
            raise YamlInputError(origin, f"not valid YAML: {problem}") from None
        raise YamlInputError(
            origin, f"not valid YAML: {problem}", mark.line + 1, mark.column + 1
        ) from None
    except yaml.YAMLError as exc:
        raise YamlInputError(origin, f"not valid YAML ({type(exc).__name__})") from None


def read_text_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``.

    Raises:
        YamlInputError: Missing, not a regular file, unreadable, or too large.
    """
    p = Path(path)
    try:
        if not p.is_file():
            problem = "file not found" if not p.exists() else "not a regular file"
            raise YamlInputError(str(p), f"cannot read the file: {problem}")
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise YamlInputError(str(p), f"cannot read the file ({exc.strerror})") from None
    if len(data) > max_bytes:
        raise YamlInputError(str(p), f"larger than {max_bytes:,} bytes; refused")
    return data


def load_yaml_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read and parse a UTF-8 YAML file with the limits of this module.

    Args:
        path: The file.
        max_bytes: Largest size accepted.

    Returns:
        The parsed data.

    Raises:
        YamlInputError: Missing, too large, not UTF-8, not valid YAML, an alias, a duplicate
            key or too deep.
    """
    data = read_text_file(path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlInputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    return load_yaml_text(text, str(path))
