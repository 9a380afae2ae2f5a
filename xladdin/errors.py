"""Exception tree. Every message is Chinese and names the file (and sheet/cell where known).

    XladdinError
    ├── ConfigError            bad option or settings file
    ├── InputError             a workbook we cannot use (exit code 2)
    │   ├── UnreadableError        code "unreadable"
    │   └── NotScoringTableError   code "not-scoring-table"
    └── OutputError            an output file we cannot write
"""

from __future__ import annotations


class XladdinError(Exception):
    code = "error"

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell


class ConfigError(XladdinError):
    code = "config"


class InputError(XladdinError):
    code = "input"


class UnreadableError(InputError):
    code = "unreadable"


class NotScoringTableError(InputError):
    code = "not-scoring-table"


class OutputError(XladdinError):
    code = "output"


_OS_REASONS = {
    "ENOENT": "文件或文件夹不存在",
    "EACCES": "没有权限",
    "EPERM": "操作不被允许",
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EROFS": "磁盘是只读的",
    "EISDIR": "这是一个文件夹",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "ENAMETOOLONG": "文件名太长",
    "EIO": "磁盘读写出错",
    "EBUSY": "文件正被占用",
    "ELOOP": "符号链接循环",
    "EMFILE": "打开的文件太多",
    "ENXIO": "设备不存在",
    "EINVAL": "参数无效",
    "EEXIST": "文件已存在",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in Chinese ("没有权限"), never the English strerror."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, f"系统错误 {name or exc.errno or type(exc).__name__}")
