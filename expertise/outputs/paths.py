"""Where a command may write its result: never over the draft, never into a directory, never over an
existing file without --force, only into a directory that exists and can be written."""

from __future__ import annotations

import os
from pathlib import Path

from expertise.errors import InputError


def check_output_path(source: str, output: str, force: bool, *, same: str, file_kind: str, of_what: str) -> None:
    """One Russian line per refusal. ``same``: the message when the output is the source itself;
    ``file_kind``: what the output should be («файлу .docx»); ``of_what``: whose directory it is
    («файла результата»)."""
    dst = Path(output)
    if source != "-" and dst.exists() and Path(source).exists() and dst.resolve() == Path(source).resolve():
        raise InputError(same)
    if dst.is_dir():
        raise InputError(f"«{output}» — это каталог: укажите путь к {file_kind}.")
    if dst.exists() and not force:
        raise InputError(f"Файл «{output}» уже существует: укажите --force, чтобы перезаписать его.")
    parent = dst.parent if str(dst.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"Каталог «{parent}» для {of_what} не существует.")
    if not os.access(parent, os.W_OK):
        raise InputError(f"Нет прав на запись в каталог «{parent}».")
