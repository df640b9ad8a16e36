"""Benchmark of yongji-xls: per-stage times, ingest throughput, peak memory, start-up.

Run ``python benchmarks/bench.py [--quick]``. Synthetic filled workbooks are written by the
project's own template writer and filled by key (``scripts/make_sample_workbooks.write_clean``:
every unit, plausible figures, no faults), then copied under new names to reach 40, 500 and
3,500 files. The **messy set** (``write_messy``) is the first-round folder an office really gets:
28 of the 38 units with warnings (a number typed as text, 是 without material, no contact line),
3 of them with errors, so 28 feedback workbooks are written. Every figure is the median of
several runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

BASELINE = """
import sys, openpyxl
from pathlib import Path
for f in sorted(Path(sys.argv[1]).iterdir()):
    if f.suffix != ".xlsx":
        continue
    wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""

INGEST = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from yongji_xls.system.load import load_spec
from yongji_xls.collect.read import read_one
from yongji_xls.collect.run import collect
from yongji_xls.executor import Executor
if __name__ == "__main__":
    spec = load_spec()
    folder, workers = Path(sys.argv[1]), int(sys.argv[2])
    t = time.perf_counter()
    n = 0
    if workers == 1:  # streamed: one Submission alive at a time
        for f in sorted(folder.iterdir()):
            n += len(read_one(spec, f, f.name, 2024).values)
    else:
        with Executor(read_workers=workers) as executor:
            subs, _ = collect(spec, folder, 2024, executor=executor)
        n = sum(len(s.values) for s in subs)
    dt = time.perf_counter() - t
    rss = float("nan")
    try:  # VmHWM: this process's own peak (ru_maxrss would inherit the parent's across exec)
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    except OSError:
        pass
    print(dt, rss, n)
"""


def installed_like(base: Path) -> None:
    """Child processes keep compiled bytecode, as an installed package does (pip writes the
    .pyc files). A development shell with PYTHONDONTWRITEBYTECODE=1 would make every measured
    process compile the ~60 project modules from source (~0.1 s of CPU each time); the cache
    goes to a temporary folder, never into the source tree."""
    if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        print("（已为子进程取消PYTHONDONTWRITEBYTECODE，字节码缓存写入临时文件夹，与安装后的情况一致）")
    os.environ["PYTHONPYCACHEPREFIX"] = str(base / "pycache")
    sh(sys.executable, "-m", "yongji_xls", "--help")  # compile once before anything is timed


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def sh(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def make_folder(n: int, base: Path, src: list[Path]) -> Path:
    """n xlsx files: the synthetic set copied under new names (units repeat, as in a multi-county run)."""
    out = base / f"n{n}"
    out.mkdir()
    for i in range(n):
        shutil.copyfile(src[i % len(src)], out / f"{i:05d}_{src[i % len(src)].name}")
    return out


def unzip_floor(folder: Path) -> float:
    """The floor: open each zip and read every worksheet's XML bytes."""
    t = time.perf_counter()
    for f in folder.iterdir():
        with zipfile.ZipFile(f) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                    z.read(name)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    ap.add_argument("--skip-ingest", action="store_true", help="leave out section 3 (ingest of 40/500/3,500 files)")
    ap.add_argument("--ledger-only", action="store_true", help="only the pasted-ledger case (section 5)")
    ap.add_argument("--far-xls-only", action="store_true", help="only the 51535-style .xls case (section 6)")
    ap.add_argument(
        "--e2e-only", action="store_true", help="only section 1 (run in its three modes against the baseline)"
    )
    ap.add_argument(
        "--ingest-only", action="store_true", help="only the per-workbook ingest lines of section 2 and section 3"
    )
    args = ap.parse_args()
    if args.ledger_only:
        ledger_main()
        return
    if args.far_xls_only:
        with tempfile.TemporaryDirectory() as tmp:
            far_xls(Path(tmp), 3)
        return
    repeat = 3 if args.quick else 5
    sizes = (40, 500) if args.quick else (40, 500, 3500)
    py = sys.executable
    print(f"机器：{platform.platform()}，Python {platform.python_version()}，CPU核数 {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        installed_like(base)
        from make_sample_workbooks import write_clean

        samples = base / "synthetic"
        src = write_clean(samples)
        n_samples = len(src)
        kb = statistics.median(p.stat().st_size for p in src) / 1024
        print(f"合成工作簿：{n_samples}个（每单位一个，中位数大小{kb:.0f} KB）")

        if args.ingest_only:
            from yongji_xls.system.load import load_spec

            print("\n## 2. 分阶段（进程内）：仅每个工作簿的导入")
            per_workbook_both(samples, base, load_spec(), repeat)
        else:
            messy = base / "messy"
            from make_sample_workbooks import write_messy

            write_messy(messy)
            print("\n## 1. 端到端（新进程，与基准交替运行）")
            for label, folder in (("干净的一套", samples), ("第一轮常见的一套（messy）", messy)):
                end_to_end(py, label, folder, base, max(repeat, 7))
            if args.e2e_only:
                return

            print("\n## 2. 分阶段（进程内）")
            stages(samples, base, repeat)
            print("\n### 写出阶段（两套对比，进程内逐个写出；“并行”为辅助进程已启动时整个写出阶段的耗时）")
            write_stages(samples, messy, base, repeat)

        if not args.skip_ingest:
            print("\n## 3. 导入（预检+读取+规范化+校验），单进程")
            print("| 工作簿数 | 进程数 | 耗时 | 工作簿/秒 | 每个工作簿 | 解压下限 | 与下限之比 | 峰值内存 |")
            print("|---|---|---|---|---|---|---|---|")
            script = base / "ingest.py"
            script.write_text(INGEST.format(root=str(ROOT)), "utf-8")
            for n in sizes:
                folder = make_folder(n, base, src)
                floor = statistics.median(unzip_floor(folder) for _ in range(3))
                for workers in (1, 2) if n >= 500 else (1,):
                    runs = [
                        subprocess.run(
                            [py, str(script), str(folder), str(workers)], check=True, capture_output=True, text=True
                        ).stdout.split()
                        for _ in range(repeat if n < 1000 else max(1, repeat // 2))
                    ]
                    t = statistics.median(float(r[0]) for r in runs)
                    rss = statistics.median(float(r[1]) for r in runs)
                    print(
                        f"| {n} | {workers} | {t * 1000:.0f} ms | {n / t:.0f} | {t / n * 1000:.2f} ms "
                        f"| {floor * 1000:.0f} ms | {t / floor:.1f}× | {rss:.0f} MB（主进程） |"
                    )
                shutil.rmtree(folder)

        if args.ingest_only:
            return
        print("\n## 4. 启动与模板")
        for cmd in (["--help"], ["templates", "--help"]):
            t = median_time(lambda c=cmd: sh(py, "-m", "yongji_xls", *c), repeat)
            print(f"yongji-xls {' '.join(cmd)}：{t * 1000:.0f} ms")
        t = median_time(lambda: sh(py, "-m", "yongji_xls", "templates", "--out", str(base / "tpl")), repeat)
        print(f"yongji-xls templates（全部单位，新进程）：{t * 1000:.0f} ms")

        ledger(samples, base)
        far_xls(base, repeat)


# --- 6. a 42 KB .xls whose cells span 65536 × 256 (POI's 51535.xls; issue 20 §5) ---------------------


def far_xls(base: Path, repeat: int) -> None:
    """``yongji-xls run`` on a folder holding one tiny .xls with text at A1, IV1, A65536 and IV65536
    (built in code, :func:`hostile_ole.far_cells_xls`): time and peak memory of the largest
    process (the isolated reader worker parses it)."""
    sys.path.insert(0, str(ROOT / "tests" / "support"))
    from hostile_ole import far_cells_xls

    folder, out = base / "far-xls", base / "far-xls-out"
    folder.mkdir(exist_ok=True)
    data = far_cells_xls([(0, 0, "单位"), (0, 255, "右上"), (65535, 0, "左下"), (65535, 255, "远处")])
    (folder / "51535式.xls").write_bytes(data)
    runs = [
        _run_child([sys.executable, "-m", "yongji_xls", "run", str(folder), "--out", str(out)]) for _ in range(repeat)
    ]
    t, cpu, rss = (statistics.median(r[k] for r in runs) for k in range(3))
    print(f"\n## 6. 远端单元格的.xls（{len(data) // 1024} KB，内容单元格延伸到IV65536）")
    print(f"yongji-xls run：{t * 1000:.0f} ms；CPU {cpu * 1000:.0f} ms；峰值内存 {rss:.0f} MB（最大的进程）")


# --- 5. a 5,000 x 20 ledger pasted beside the table (issue 10 §2) ------------------------------------

LEDGER_ROWS, LEDGER_COLS, LEDGER_UNITS = 5000, 20, 2

LEDGER_RUN = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from yongji_xls.system.load import load_spec
from yongji_xls.api import write_outputs
from yongji_xls.collect.run import run
if __name__ == "__main__":
    spec = load_spec()
    t = time.perf_counter()
    result = run(spec, Path(sys.argv[1]), 2024)
    t_read = time.perf_counter() - t
    write_outputs(result, Path(sys.argv[2]))
    total = time.perf_counter() - t
    rss = float("nan")
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    except OSError:
        pass
    print(total, t_read, rss, len(result.report), sum(1 for i in result.report if i.code == "cells_ignored_block"))
"""


def paste_ledger(path: Path, rows: int = LEDGER_ROWS, cols: int = LEDGER_COLS) -> bool:
    """A unit's ledger pasted to the right of the 数据填报 table, from row 1 down (False: no such sheet)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    if "数据填报" not in wb.sheetnames:
        return False
    ws = wb["数据填报"]
    left = ws.max_column + 2
    for r in range(1, rows + 1):
        for c in range(cols):
            ws.cell(r, left + c).value = f"台账{r}-{c}" if c % 3 else r * 10 + c
    wb.save(path)
    return True


def ledger(samples: Path, base: Path, repeat: int = 3) -> None:
    """Two units paste a 5,000 x 20 ledger beside the table: time and peak memory of ``run``."""
    print(
        f"\n## 5. 粘贴台账（{LEDGER_UNITS}个单位各在“数据填报”表旁粘贴{LEDGER_ROWS}×{LEDGER_COLS}的台账，其余单位正常）"
    )
    folder = base / "ledger"
    shutil.copytree(samples, folder)
    pasted = []
    for path in sorted(folder.glob("*.xlsx")):
        if len(pasted) < LEDGER_UNITS and paste_ledger(path):
            pasted.append(path)
    script = base / "ledger_run.py"
    script.write_text(LEDGER_RUN.format(root=str(ROOT)), "utf-8")
    runs = [
        subprocess.run(
            [sys.executable, str(script), str(folder), str(base / "ledger-out")],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        for _ in range(repeat)
    ]
    total, read, rss = (statistics.median(float(r[i]) for r in runs) for i in range(3))
    issues, blocks = runs[0][3], runs[0][4]
    size = (base / "ledger-out" / "scores.json").stat().st_size / 1024
    kb = statistics.median(p.stat().st_size for p in pasted) / 1024
    print(f"含台账的工作簿：中位数{kb:.0f} KB；共{len(list(folder.glob('*.xlsx')))}个工作簿")
    print(f"run（读取到计分）：{read * 1000:.0f} ms；含写出全部输出：{total * 1000:.0f} ms；峰值内存 {rss:.0f} MB")
    print(f"问题总数{issues}条，其中区域汇总{blocks}条；scores.json {size:.0f} KB")


def ledger_main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        from make_sample_workbooks import write_clean

        base = Path(tmp)
        samples = base / "synthetic"
        write_clean(samples)
        ledger(samples, base)


def _run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s of the whole process tree, peak RSS MB of the largest process) of one command."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu, rss = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
    else:  # Windows: wall time only
        proc.wait()
        cpu = rss = float("nan")
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, args)
    return time.perf_counter() - t, cpu, rss


def end_to_end(py: str, label: str, folder: Path, base: Path, repeat: int) -> None:
    """``run`` (with its helper process, and without: YONGJI_XLS_HELPER=0) against the plain
    openpyxl load of the same files, interleaved so that all three see the same machine state."""
    script = base / "baseline.py"
    script.write_text(BASELINE, "utf-8")
    out = base / "e2e-out"
    runs: dict[str, list[tuple[float, float, float]]] = {"run": [], "helper": [], "serial": [], "base": []}
    cmd = [py, "-m", "yongji_xls", "run", str(folder), "--out", str(out)]
    _run_child(cmd)  # warm-up: bytecode of every module the run imports, disk cache of the spec
    _run_child([py, str(script), str(folder)])
    for _ in range(repeat):
        runs["run"].append(_run_child(cmd))
        runs["helper"].append(_run_child(cmd, {"YONGJI_XLS_HELPER": "1"}))
        runs["serial"].append(_run_child(cmd, {"YONGJI_XLS_HELPER": "0"}))
        runs["base"].append(_run_child([py, str(script), str(folder)]))
    med = {
        k: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v), max(r[2] for r in v))
        for k, v in runs.items()
    }
    feedback = len(list((out / "反馈").glob("*.xlsx"))) if (out / "反馈").is_dir() else 0
    b = med["base"]
    load = f"，测完时1分钟平均负载{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"### {label}：{len(list(folder.iterdir()))}个工作簿，生成问题反馈表{feedback}个（{repeat}轮中位数{load}）")
    rows = (
        ("run", "默认（机器空闲时用辅助进程）"),
        ("helper", "辅助进程写报告和部分反馈表，YONGJI_XLS_HELPER=1"),
        ("serial", "单进程，YONGJI_XLS_HELPER=0"),
    )
    for key, text in rows:
        m = med[key]
        print(
            f"- yongji-xls run（{text}）：{m[0] * 1000:.0f} ms，比值 {m[0] / b[0]:.2f}；CPU {m[1] * 1000:.0f} "
            f"ms（比值 {m[1] / b[1]:.2f}）；峰值内存 {m[2]:.0f} MB"
        )
    print(
        f"- 基准：仅用openpyxl载入并遍历同样的文件：{b[0] * 1000:.0f} ms；CPU {b[1] * 1000:.0f} ms；"
        f"峰值内存 {b[2]:.0f} MB"
    )


def write_stages(clean: Path, messy: Path, base: Path, repeat: int) -> None:
    from yongji_xls import api
    from yongji_xls.collect.run import run
    from yongji_xls.report import write_stage
    from yongji_xls.system.load import load_spec
    from yongji_xls.workbook.write.feedback import feedback_jobs

    spec = load_spec()
    print(
        "| 一套 | 反馈表 | 读取至计分 | 任务分解表 | Word报告 | 问题反馈表（合计） | 每个反馈表 | scores.json "
        "| 整个写出阶段（单进程） | 整个写出阶段（并行） |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    with api.executor(helper=True) as executor:
        for label, folder in (("干净", clean), ("messy", messy)):
            reading = median_time(lambda f=folder: run(spec, f, 2024), repeat)
            result = run(spec, folder, 2024)
            n = len(feedback_jobs(result))
            parts: dict[str, list[float]] = {}
            totals: dict[str, list[float]] = {"serial": [], "parallel": []}
            for _ in range(repeat):
                t = time.perf_counter()
                stage = write_stage.write_all(result, base / f"ws-{label}")
                totals["serial"].append(time.perf_counter() - t)
                for name, seconds in stage.timings.items():
                    parts.setdefault(name, []).append(seconds)
                t = time.perf_counter()
                write_stage.write_all(result, base / f"ws-{label}", executor)
                totals["parallel"].append(time.perf_counter() - t)
            m = {k: statistics.median(v) * 1000 for k, v in parts.items()}
            per = f"{m['feedback'] / n:.1f} ms" if n else "—"
            print(
                f"| {label} | {n} | {reading * 1000:.0f} ms | {m['breakdown']:.0f} ms | {m['report']:.0f} ms "
                f"| {m['feedback']:.0f} ms | {per} | {m['scores']:.0f} ms |"
                f" {statistics.median(totals['serial']) * 1000:.0f} ms "
                f"| {statistics.median(totals['parallel']) * 1000:.0f} ms |"
            )


def stages(samples: Path, base: Path, repeat: int) -> None:
    from yongji_xls.collect.merge import merge
    from yongji_xls.collect.run import collect, run
    from yongji_xls.report.breakdown import write_breakdown
    from yongji_xls.report.docx_report import write_docx_report
    from yongji_xls.scoring.engine import score
    from yongji_xls.system.load import load_spec

    spec = load_spec()
    rows = []
    from yongji_xls.system.load import _read_raw, build_spec

    rows.append(("解析并校验指标体系YAML（无缓存时）", median_time(lambda: build_spec(_read_raw(None)), repeat)))
    rows.append(("载入指标体系（磁盘缓存）", median_time(lambda: load_spec.__wrapped__(), repeat)))
    rows.append(("读取全部工作簿（预检+读取+规范化）", median_time(lambda: collect(spec, samples, 2024), repeat)))
    subs, _ = collect(spec, samples, 2024)
    rows.append(("合并", median_time(lambda: merge(spec, subs), repeat)))
    merged = merge(spec, subs)
    rows.append(("计分", median_time(lambda: score(spec, merged.values, 2024), repeat)))
    result = run(spec, samples, 2024)
    out = base / "stage-out"
    out.mkdir()
    rows.append(("任务分解表", median_time(lambda: write_breakdown(result, out / "b.xlsx"), repeat)))
    rows.append(("Word报告（含图表）", median_time(lambda: write_docx_report(result, out / "r.docx"), repeat)))
    for name, t in rows:
        print(f"- {name}：{t * 1000:.1f} ms")
    per_workbook_both(samples, base, spec, repeat)


def per_workbook_both(samples: Path, base: Path, spec, repeat: int) -> None:
    per_workbook(samples, spec, repeat, "合成工作簿（openpyxl保存）")
    resaved = libreoffice_resave(samples, base / "resaved")
    if resaved is not None:
        per_workbook(resaved, spec, repeat, "同一批经LibreOffice另存（真实客户端）")


def libreoffice_resave(samples: Path, out: Path) -> Path | None:
    """The synthetic set re-saved by a real office suite (shared strings, its own styles), or
    None when LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    out.mkdir()
    sh(
        soffice,
        "--headless",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(out),
        *map(str, sorted(samples.iterdir())),
    )
    return out


def per_workbook(samples: Path, spec, repeat: int, label: str) -> None:
    """Where one workbook's ingest time goes, and the ceiling python-calamine alone sets."""
    import io

    from python_calamine import CalamineWorkbook

    from yongji_xls.collect.read import read_one
    from yongji_xls.workbook.read.safety.preflight import preflight

    files = sorted(samples.iterdir()) * 5
    datas = [f.read_bytes() for f in files]

    def calamine_only() -> None:
        for data in datas:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    n = len(files)
    pre = (
        median_time(lambda: [preflight(f, f.name).ok for f in files], repeat) / n
    )  # results dropped, as when streaming
    cal = median_time(calamine_only, repeat) / n
    total = median_time(lambda: [len(read_one(spec, f, f.name, 2024).values) for f in files], repeat) / n
    kb = statistics.median(f.stat().st_size for f in files) / 1024
    print(
        f"- {label}，中位数{kb:.0f} KB：每个工作簿导入 {total * 1000:.2f} ms（{1 / total:.0f}个/秒）"
        f" = 预检 {pre * 1000:.2f} ms + 读取与校验 {(total - pre) * 1000:.2f} ms；"
        f"对照：仅用python-calamine读出全部工作表、不做任何检查 {cal * 1000:.2f} ms（单进程上限约{1 / cal:.0f}个/秒）"
    )


if __name__ == "__main__":
    main()
