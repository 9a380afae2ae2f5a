"""``xladdin template -o 评分表.xlsx``: write the fill-in scoring table (works without Python)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "template",
        help="生成供各部门填写的评分表模板（自动计算得分、合计、总分和等级）",
        description="生成评分表模板：熟悉的“一级指标｜分值｜二级指标｜分值｜三级指标｜分值｜评分标准｜扣分｜得分｜"
                    "扣分原因”格式，得分、合计、综合得分和评价等级用公式自动计算（不需要 Python，Excel、WPS、"
                    "LibreOffice 都能用），扣分有输入限制，只有填写区可以编辑。默认使用永靖县工信局评分表的指标体系"
                    "（管理效率已更正为 44 分，合计 100 分）。",
        epilog="示例：xladdin template -o 评分表.xlsx --unit 永靖县工业和信息化局 --year 2023\n"
               "      xladdin template -o 评分表.xlsx --framework 指标体系.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p._optionals.title = "选项"
    p.add_argument("-o", "--output", metavar="输出.xlsx", required=True, help="模板保存位置（.xlsx）")
    p.add_argument("--unit", metavar="单位名称", help="预先填好单位名称（也写进标题）")
    p.add_argument("--year", metavar="年度", type=_year, help="预先填好评价年度，如 2023（也写进标题）")
    p.add_argument("--framework", metavar="文件",
                   help="使用自己的指标体系：CSV 或 Excel 文件，表头为"
                        "“一级指标,分值,二级指标,分值,三级指标,分值,评分标准”"
                        "（各级分值须逐级相加一致，一级合计 100 分）")
    p.add_argument("--title", metavar="标题",
                   help="自定义表格标题（默认“[单位][年度]年度部门整体支出绩效评价指标评分表”）")
    p.add_argument("--grades", metavar="分档",
                   help="等级公式使用的分档，如 \"90:优,80:良,60:中,0:差\"（默认按财预〔2020〕10号）")
    p.add_argument("--kind", choices=("department", "project"), default="department",
                   help="模板种类：department（部门整体支出绩效评价指标评分表，默认）或 project（项目支出绩效自评表："
                        "执行率、预算执行得分、规则得分、总分和等级用公式计算）")
    p.add_argument("--project", metavar="项目名称", help="项目支出绩效自评表：预先填好项目名称")
    p.add_argument("--department", metavar="主管部门", help="项目支出绩效自评表：预先填好主管部门")
    p.add_argument("--profile", metavar="计分规则",
                   help="项目支出绩效自评表的计分规则：national（默认）、sichuan、hubei、yunnan 或 .json 文件")
    p.add_argument("--force", action="store_true",
                   help="允许覆盖已存在的、不是 xladdin 之前生成的同类输出文件（默认拒绝，以免覆盖别人的文件）")
    p.set_defaults(handler=run)


def _year(text: str) -> int:
    try:
        y = int(str(text).strip().rstrip("年"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"年度“{text}”应为四位数字，如 2023") from None
    if not 1990 <= y <= 2100:
        raise argparse.ArgumentTypeError(f"年度“{text}”不在合理范围（1990–2100）")
    return y


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from xladdin.api import write_template
    from xladdin.cli.main import fail
    from xladdin.core.grading import DEFAULT_GRADING, Grading
    from xladdin.errors import XladdinError
    from xladdin.kinds.department.framework import SEED_FRAMEWORK

    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx",):
        return fail(args, f"模板应保存为 .xlsx 文件（“{out.name}”）。"
                          "需要带按钮的 .xlsm 请在 Windows 上用 xladdin excel-setup。")
    if getattr(args, "kind", "department") == "project":
        return _run_project(args, out)
    try:
        grading = Grading.parse(args.grades) if args.grades else DEFAULT_GRADING
        if args.framework:
            from xladdin.reading.framework_file import load_framework

            if out.exists() and out.resolve() == Path(args.framework).resolve():
                return fail(args, f"输出文件“{out.name}”就是 --framework 指定的指标体系文件，不能覆盖它；"
                                  "请换一个输出文件名。")
            leaves = load_framework(args.framework)
        else:
            leaves = SEED_FRAMEWORK
        info = write_template(out, framework=leaves, unit=args.unit, year=args.year, title=args.title,
                              grading=grading, force=args.force)
    except XladdinError as exc:
        return fail(args, exc.message, exc.code)
    roots = len({leaf.path[0] for leaf in leaves})
    print(f"已生成评分表模板：{out}（工作表“{info.sheet}”，{roots} 个一级指标、{len(leaves)} 个末级指标，"
          "合计 100 分）。")
    print("各部门只需填写浅蓝色单元格（单位名称、评价年度、填报人、联系电话、扣分、扣分原因），得分和等级自动计算。")
    return 0


def _run_project(args: argparse.Namespace, out) -> int:
    """``--kind project``: the 项目支出绩效自评表 template."""
    from xladdin.cli.main import fail
    from xladdin.core.grading import DEFAULT_GRADING, Grading
    from xladdin.errors import XladdinError
    from xladdin.kinds.project.profiles import PROFILES, get_profile
    from xladdin.outputs.project_template import write_project_template
    from xladdin.outputs.template import is_untouched_template
    from xladdin.outputs.toolkit import refuse_overwrite

    if args.framework:
        return fail(args, "--framework 只用于部门整体评分表；项目支出绩效自评表的指标由各项目自己填写。")
    try:
        grading = Grading.parse(args.grades) if args.grades else DEFAULT_GRADING
        profile = get_profile(args.profile) if args.profile else PROFILES["national"]
        refuse_overwrite(out, "模板", is_untouched_template, force=args.force)
        _, info = write_project_template(out, project=args.project, department=args.department, unit=args.unit,
                                         year=args.year, profile=profile, grading=grading)
    except XladdinError as exc:
        return fail(args, exc.message, exc.code)
    print(f"已生成项目支出绩效自评表模板：{out}（工作表“{info.sheet}”，计分规则：{profile.label}）。")
    print("填写浅蓝色单元格（项目资金、绩效指标的指标性质、指标值、完成值、分值、得分、偏差原因），"
          "执行率、预算执行得分、规则得分、总分和等级自动计算。")
    return 0
