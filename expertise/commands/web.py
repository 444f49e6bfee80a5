"""`expertise serve` (the web application) and `expertise user …` (its local accounts)."""

from __future__ import annotations

import sys

import click

from expertise.errors import InputError

DB_HELP = ("База данных (та же, что у реестра): URL SQLAlchemy или путь к файлу SQLite; по умолчанию EXPERTISE_DB, "
           "[registry] db в настройках или файл в каталоге данных пользователя.")
ROLE_CHOICE = click.Choice(["юрист", "руководитель"])


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Адрес, на котором слушать.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Порт.")
@click.option("--db", default=None, help=DB_HELP)
@click.option("--workers", type=click.IntRange(0, 32), default=None,
              help="Число процессов проверки (по умолчанию по числу процессоров, не более 4; 0 — в процессе сервера).")
@click.option("--max-upload-mb", type=click.IntRange(1, 100), default=20, show_default=True,
              help="Предельный размер загружаемого файла, МБ.")
@click.option("--config", "config", type=click.Path(dir_okay=False), default=None, help="Файл настроек TOML.")
@click.option("--https-only-cookies", is_flag=True, help="Cookie сеанса только по HTTPS (за обратным прокси с TLS).")
def serve(host, port, db, workers, max_upload_mb, config, https_only_cookies) -> None:
    """Запустить веб-приложение: загрузка проектов, разбор замечаний, заключение, реестр и годовой отчет."""
    import uvicorn

    from expertise.web.app import create_app

    _check_port(host, port)
    app = create_app(db, workers=workers, max_upload_bytes=max_upload_mb * 1024 * 1024, config=config,
                     start_workers=True, https_only=https_only_cookies)
    if not app.state.store.users():
        click.echo("Пользователей еще нет: создайте учетную запись командой "
                   "expertise user add ЛОГИН --org ОРГАНИЗАЦИЯ --role руководитель", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Внимание: сервер доступен по сети ({host}) без шифрования; поставьте перед ним обратный "
                   "прокси с HTTPS и запустите с --https-only-cookies.", err=True)
    click.echo(f"expertise: http://{host}:{port}/ (остановить — Ctrl+C)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, proxy_headers=False)
    except OSError as exc:
        raise InputError(f"Не удалось запустить сервер на {host}:{port}: {exc.strerror or exc}.") from None


def _check_port(host: str, port: int) -> None:
    """Refuse a busy or impossible address in Russian before anything starts."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise InputError(f"Адрес «{host}» не найден: укажите IP-адрес или имя этого компьютера в --host.") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            reason = "порт занят другой программой" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
            raise InputError(f"Не удалось запустить сервер на {host}:{port}: {reason}.") from None


@click.group(name="user")
def user_group() -> None:
    """Учетные записи веб-приложения: добавить, сменить пароль, список."""


def _password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Пароль", hide_input=True, confirmation_prompt="Пароль еще раз", err=True)


@user_group.command("add")
@click.argument("login")
@click.option("--org", required=True, help="Организация (пользователь видит только ее экспертизы).")
@click.option("--role", type=ROLE_CHOICE, required=True, help="Роль: юрист или руководитель (годовой отчет).")
@click.option("--name", default=None, help="Фамилия, имя, отчество (для заключения и реестра).")
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из первой строки стандартного ввода.")
@click.option("--db", default=None, help=DB_HELP)
def user_add(login, org, role, name, password_stdin, db) -> None:
    """Создать учетную запись (пароль спрашивается или читается из стандартного ввода)."""
    from expertise.web.store import Store, check_login

    check_login(login)
    store = Store(db)
    password = _password(password_stdin)
    user = store.add_user(login, org, role, password, name=name)
    click.echo(f"Пользователь «{user.login}» ({role}) создан в организации «{user.org.name}».")


@user_group.command("passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из первой строки стандартного ввода.")
@click.option("--db", default=None, help=DB_HELP)
def user_passwd(login, password_stdin, db) -> None:
    """Сменить пароль пользователя (его открытые сеансы закрываются)."""
    from expertise.web.store import Store

    Store(db).set_password(login, _password(password_stdin))
    click.echo(f"Пароль пользователя «{login}» изменен.")


@user_group.command("list")
@click.option("--db", default=None, help=DB_HELP)
def user_list(db) -> None:
    """Пользователи: логин, роль, организация."""
    from expertise.web.store import Store

    users = Store(db).users()
    if not users:
        click.echo("Пользователей нет.")
    for u in users:
        click.echo(f"{u.login}\t{u.role}\t{u.org.name}\t{u.name or ''}")


COMMANDS = [serve, user_group]
