"""The `licheng` command: parses arguments and maps outcomes to exit codes, here and only here.

0 ok, 1 findings that fail (errors), 2 could not run. Each verb is a module of generator.commands
with add_arguments(parser) and run(args) -> bool (True: passed), its help a line of VERBS.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import re
import sys

from . import __version__, dates, layout
from .git import prefetch
from .errors import LichengError, UsageError, os_reason, printable, printable_lines

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2

# verb → (its module in generator.commands, its one-line help). Adding a command adds a line here
# and one module. The help lives here so that `licheng --help` lists every verb without importing
# them: a run imports only the module of its own verb.
VERBS = {
    "validate": ("validate", "驗證所有紀錄與期程 / validate records and schedules"),
    "status": ("status", "各課程的認證狀態 / certification status per course"),
    "inbox": ("inbox", "我可以認證的合併請求 / the merge requests I may certify now"),
    "certify": ("certify", "批次認證待認證的合併請求 / certify many pending requests at once"),
    "codeowners": ("codeowners", "產生 CODEOWNERS / write CODEOWNERS"),
    "demo": ("demo", "建立虛構示範學校 / create a fictional demo school"),
    "export": ("export", "匯出中央資料庫提交檔 / files for the central database"),
    "letters": ("letters", "離校生紙本通知（§7.3.3）/ paper-mail notices"),
    "purge": ("purge", "逾保存年限的資料（§8）/ records past retention"),
    "build": ("build", "建置網站 / build the site"),
    "serve": ("serve", "即時預覽網站 / live preview"),
    "init": ("init", "建立新學校的兩個儲存庫 / start a school (portfolio and registry repositories)"),
    "import": ("imports", "從校務行政系統匯入（預設只列出變更）/ import from the administration system "
                          "(dry run by default)"),
    "rollover": ("rollover", "升級與新學期草稿（班級、開課、期程）/ roll over to the next semester"),
    "identities": ("identities", "誰還沒有提交身分、歷史中誰對不上人 / commit identities: missing and unknown"),
    "migrate": ("migrate", "把歷史中的附件移入 Git LFS（改寫歷史）/ move attachments in history into Git LFS"),
    "sheets": ("sheets", "學習歷程確認單（每生一頁、每班一檔）/ confirmation sheets for students and parents to sign"),
    "archive": ("archive", "學生個人的學習歷程備份（§7.2）/ a student's own archive"),
    "evaluation": ("evaluation", "§11 成效評估（教師認證、單位提交、研習）/ the §11 evaluation"),
    "roster": ("roster", "由學籍資料庫產生 portfolio 的名冊 / write the portfolio's roster from the registry"),
    "split": ("split", "把學籍等個人資料移到新的學籍資料庫 / move personal records into a new registry repository"),
}


# argparse's own complaints (a missing argument, a wrong choice) are English: told in Chinese, or as
# argparse words them with --lang en. Our own argument types say both (common.BadValue).
PARSE_ERRORS = [
    (r"the following arguments are required: (.*)", "缺少必要的參數：{0}"),
    (r"unrecognized arguments: (.*)", "無法辨識的參數：{0}"),
    (r"ambiguous option: (\S+) could match (.*)", "選項 {0} 不明確，可能是 {1}"),
    (r"one of the arguments (.*) is required", "必須指定其中一個參數：{0}"),
    (r"argument (.+?): invalid choice: (.*) \(choose from (.*)\)", "參數 {0}：沒有 {1} 這個選項（可用：{2}）"),
    (r"argument (.+?): expected one argument", "參數 {0} 後面需要一個值"),
    (r"argument (.+?): expected at least one argument", "參數 {0} 後面至少需要一個值"),
    (r"argument (.+?): expected at most one argument", "參數 {0} 後面最多只能有一個值"),
    (r"argument (.+?): expected (\d+) arguments?", "參數 {0} 後面需要 {1} 個值"),
    (r"argument (.+?): invalid \S+ value: (.*)", "參數 {0}：{1} 不是有效的值"),
    (r"argument (.+?): not allowed with argument (.*)", "參數 {0} 不能與 {1} 同時使用"),
    (r"argument (.+?): ignored explicit argument (.*)", "參數 {0} 不接受值 {1}"),
]


def parse_error(message: str, english: bool, bad_value=None) -> str:
    """argparse's `message`, in Chinese unless `english`. `bad_value`: the ArgumentTypeError of one of
    our own argument types behind it, whose `en` is its English."""
    if bad_value is not None and getattr(bad_value, "en", None):
        if english:
            return f"error: {message.replace(str(bad_value), bad_value.en)}"
        own = re.fullmatch(r"argument (.+?): (.*)", message, re.S)
        return f"錯誤：參數 {own[1]}：{own[2]}" if own else f"錯誤：{message}"
    if english:
        return f"error: {message}"
    for pattern, chinese in PARSE_ERRORS:
        m = re.fullmatch(pattern, message, re.S)
        if m:
            return "錯誤：" + chinese.format(*m.groups()).replace("參數 command", "指令")  # the verb after licheng
    return f"錯誤：{message}"


def _english(argv: list[str]) -> bool:
    return any(a == "--lang=en" or (a == "--lang" and b == "en") for a, b in zip(argv, argv[1:] + [""]))


def build_parser(verb: str | None = None, english: bool = False) -> argparse.ArgumentParser:
    """The parser that lists every verb with its help and knows the arguments of `verb` only:
    a run imports no module but its own verb's. Its complaints are told in Chinese unless `english`."""
    from .commands.common import Formatter, options

    class Chinese(Formatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{"formatter_class": Formatter if english else Chinese, **kwargs})
            if not english:  # argparse's own words (options:, -h's help) in Chinese too
                self._positionals.title, self._optionals.title = "位置參數", "選項"
                for action in self._actions:
                    if isinstance(action, argparse._HelpAction):
                        action.help = "顯示此說明後結束"

        def error(self, message: str):
            self.print_usage(sys.stderr)
            bad_value = getattr(sys.exc_info()[1], "__context__", None)  # argparse raised it from our type's error
            self.exit(EXIT_CANNOT_RUN, f"{self.prog}: {parse_error(message, english, bad_value)}\n")

        def parse_args(self, args=None, namespace=None):
            # argparse tells the options no parser knew from the top: its usage is licheng's, not the verb's
            args, unknown = self.parse_known_args(args, namespace)
            if unknown:
                sub.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
            return args

    parser = Parser(prog="licheng", description=help_in("學生學習歷程檔案：紀錄與期程的驗證與發布 / student learning "
                                                        "portfolios: records and schedules checked and published", english))
    parser.add_argument("--version", action="version", version=f"licheng {__version__}",
                        help=help_in("顯示版本後結束 / show the version and exit", english))
    parser.register("action", "parsers", _Verbs)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in VERBS.items():
        if name != verb:
            sub.add_listed(name, help_in(help_text, english))
            continue
        module = importlib.import_module(f".commands.{module_name}", __package__)
        command = sub.add_parser(name, parents=[options()], help=help_in(help_text, english))
        module.add_arguments(command)
        for action in command._actions:
            action.help = help_in(action.help, english)
        command.set_defaults(run=module.run)
    return parser


class _Verbs(argparse._SubParsersAction):
    """The verbs: each listed with its help, the parser of a verb made only when it is parsed (a
    run parses one verb: making the others' parsers cost more than the rest of the parsing)."""

    def add_listed(self, name: str, help_text: str | None) -> None:
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), help_text))
        self._name_parser_map[name] = None

    def __call__(self, parser, namespace, values, option_string=None):
        if values and values[0] in self._name_parser_map and self._name_parser_map[values[0]] is None:
            self._name_parser_map[values[0]] = self._parser_class(prog=f"{self._prog_prefix} {values[0]}")
        super().__call__(parser, namespace, values, option_string)


# an option's help is written once in both languages, "中文 / English": --help shows the run's half
_BOTH_HALVES = re.compile(r"(.*?[\u3000-\u9fff\uff00-\uffef].*?)(?:\s+|(?<=[\u3000-\u9fff\uff00-\uffef]))/ (.+)", re.S)


def help_in(text: str | None, english: bool) -> str | None:
    halves = _BOTH_HALVES.fullmatch(text) if text else None
    return (halves[2] if english else halves[1].rstrip()) if halves else text


def _verb(argv: list[str]) -> str | None:
    """The verb of a command line: its first word that is no option (licheng itself takes none
    with a value)."""
    return next((word for word in argv if not word.startswith("-")), None)


# verbs that load the school, print a report and end: as a process of their own they run without
# the cyclic collector (see _one_pass)
ONE_PASS = {"validate"}
# verbs whose first step is reading the school's working tree as a validation does (_start_early)
READ_EARLY = {"validate", "inbox", "status", "certify"}


def _one_pass() -> None:
    """Everything a validation builds lives until its report is printed and the process ends:
    the cyclic collector would only scan it again, twice while the report is made and once
    more at exit (a fifth of a warm run's time). It stays off, and at exit what is left is
    frozen, which skips that last scan (the standard streams are flushed all the same)."""
    gc.disable()
    atexit.register(gc.freeze)


def _start_early(argv: list[str]) -> None:
    """A validation first lists the working tree's files and (with its cache) asks Git for the
    index, the changed files, HEAD and the pending refs: started before the imports and the parsing of the arguments,
    their time overlaps Python's (their output serves only the exact command, in the folder,
    that a run asks for; see generator.git.prefetch)."""
    given, cached, words = None, True, iter(argv)
    for word in words:
        if word in ("--rev", "--base", "-h", "--help", "--version") or word.startswith(("--rev=", "--base=")):
            return  # no working tree read, or not this way
        if word == "--no-cache":
            cached = False
        if word in ("-C", "--repo"):
            given = next(words, None)
        elif word.startswith("--repo="):
            given = word.partition("=")[2]
        elif word.startswith("-C") and not word.startswith("--"):
            given = word[2:]
    try:
        root = os.path.realpath(given or os.getcwd())
    except (OSError, ValueError):
        return
    prefetch.validation(root, layout.ROOTS, cached)


def main(argv: list[str] | None = None) -> int:
    """licheng's own process (`argv` None: the command line; the process ends when this returns),
    or one run of it inside another program (tests)."""
    program = argv is None
    argv = sys.argv[1:] if program else argv
    verb = _verb(argv)
    if verb in READ_EARLY:
        _start_early(argv)
    try:
        return _main(program, argv, verb)
    finally:
        prefetch.discard()


def _main(program: bool, argv: list[str], verb: str | None) -> int:
    parser = build_parser(verb, _english(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_CANNOT_RUN if exc.code not in (0, None) else EXIT_OK
    if program and args.command in ONE_PASS:
        _one_pass()
    try:
        try:
            dates.resolve_now(getattr(args, "now", None), dates.zone(None))
        except ValueError as exc:
            raise UsageError(f"{exc}: 不是可辨識的時間（例：2026-09-01 08:00、115-09-01）",
                             en=f"{exc}: not a date or time between {dates.MIN_YEAR} and {dates.MAX_YEAR}") from None
        return EXIT_OK if args.run(args) else EXIT_FINDINGS
    except LichengError as exc:
        # (its words may quote a file's or a branch's name: each line escaped as everything printed)
        print(f"licheng: {printable_lines(exc.text(getattr(args, 'lang', None)))}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except BrokenPipeError:  # the reader stopped reading (`| head`, a pager quit): nobody is left to tell
        if program:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second complaint at exit
        return EXIT_CANNOT_RUN
    except OSError as exc:  # a folder that cannot be written, a disk that is full: say which, no traceback
        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        zh, en = os_reason(exc)
        print(f"licheng: {where}{en if getattr(args, 'lang', None) == 'en' else zh}", file=sys.stderr)
        return EXIT_CANNOT_RUN
