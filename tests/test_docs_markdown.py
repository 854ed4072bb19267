"""docs/model.md is rendered by the app's Method tab with st.markdown (remark-math + KaTeX) and by GitHub.
A static check of its maths markup, so that a currency amount or a broken display block cannot turn the rest
of the page into KaTeX error text again:

* a literal dollar (currency) is escaped, ``\\$7T``: an unescaped ``$`` opens inline maths;
* a display equation is one fenced block, ``$$`` alone on the line before and after it, with no blank line
  inside (a blank line ends the block; text after an opening ``$$`` on the same line is dropped);
* a dollar cannot be escaped inside inline maths (``$P_\\$$``): remark-math ends the span at that ``$``;
* every inline ``$`` span is closed within its paragraph or table cell.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "model.md"


def _blocks(text):
    """Split markdown into (first line number, kind, text) blocks: 'display' ($$ fenced), 'code' (``` fenced),
    and 'text' (a paragraph, list item run, heading or one table cell), plus problems found on the way."""
    problems, blocks, para, para_start = [], [], [], None
    lines = text.split("\n")

    def flush():
        nonlocal para, para_start
        if para:
            blocks.append((para_start, "text", "\n".join(para)))
        para, para_start = [], None

    i = 0
    while i < len(lines):
        line, n = lines[i], i + 1
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            i = j + 1
            continue
        if stripped == "$$":
            flush()
            j = i + 1
            while j < len(lines) and lines[j].strip() != "$$":
                if not lines[j].strip():
                    problems.append(f"line {j + 1}: blank line inside the $$ block opened on line {n}")
                if "$$" in lines[j]:
                    problems.append(f"line {j + 1}: $$ inside the $$ block opened on line {n} (put it on its own line)")
                j += 1
            if j == len(lines):
                problems.append(f"line {n}: $$ block never closed")
            blocks.append((n, "display", "\n".join(lines[i + 1:j])))
            i = j + 1
            continue
        if "$$" in line:
            problems.append(f"line {n}: display maths must be a fenced block ($$ alone on its own lines): {line[:60]!r}")
        if not stripped:
            flush()
        elif stripped.startswith("|"):
            flush()
            for cell in re.split(r"(?<!\\)\|", stripped.strip("|")):
                blocks.append((n, "text", cell))
        else:
            if para_start is None:
                para_start = n
            para.append(line)
        i += 1
    flush()
    return blocks, problems


def _inline_problems(start, text):
    """Scan one paragraph or cell the way remark-math does: ``\\$`` is a literal dollar, ``$...$`` is maths
    (inside it, any ``$`` ends the span), code spans are literal."""
    problems = []
    text = re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), text)  # code spans: dollars in code are literal
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch != "$":
            i += 1
            continue
        line = start + text.count("\n", 0, i)
        context = text[max(0, i - 20):i + 30].replace("\n", " ")
        end = text.find("$", i + 1)
        span = text[i + 1:end] if end != -1 else text[i + 1:]
        # "$7T / $10T": a dollar before a number opens a "span" with no maths in it (no command, sub- or
        # superscript, brace or equals sign); maths that starts with a number, "$100\,G/Y$", has some
        if span[:1].isdigit() and (end == -1 or not re.search(r"[\\^_={}]", span)):
            problems.append(f"line {line}: unescaped currency dollar (write \\$): {context!r}")
        if end == -1:
            problems.append(f"line {line}: inline maths never closed: {context!r}")
            break
        if text[end - 1] == "\\":
            problems.append(f"line {line}: \\$ inside inline maths ends the span early: {context!r}")
        i = end + 1
    return problems


def math_markup_problems(text):
    blocks, problems = _blocks(text)
    for start, kind, body in blocks:
        if kind == "text":
            problems += _inline_problems(start, body)
    return problems


def test_model_md_maths_markup_renders():
    problems = math_markup_problems(DOC.read_text())
    assert not problems, "\n".join(problems)


def test_model_md_has_display_equations():
    blocks, _ = _blocks(DOC.read_text())
    assert sum(kind == "display" for _, kind, _ in blocks) >= 8


# The checker itself: each of these broke the Method tab (or would), and must be caught.
@pytest.mark.parametrize("bad", [
    "| `usd` | x | JP Morgan $7T / $10T; McKinsey $3.5T |",
    "the sum ($105.10T; WDI's own World aggregate is\n$105.44T, see).",
    '"$7–10 trillion", "as much as 10 %".',
    "$$f_i(t) = 1,\\qquad\nA_i(t) = 2$$",
    "$$\nf_i(t) = 1,\n\nA_i(t) = 2\n$$",
    "$$\nf_i(t) = 1\n",
    "| `usd` | $P = P_\\$$ (`headline_usd_bn`) | x |",
    "a $x + y and nothing closes it",
    "grew from $2.6T to $4.4T",
], ids=["currency-in-table", "currency-across-lines", "currency-in-reference", "multi-line-$$-paragraph",
        "blank-line-in-block", "unclosed-block", "escaped-dollar-in-maths", "unclosed-inline",
        "currency-pair"])
def test_checker_catches(bad):
    assert math_markup_problems(bad)


@pytest.mark.parametrize("good", [
    "JP Morgan \\$7T / \\$10T; the potential $P_i = \\omega_i P$ grows.",
    "$$\n\\begin{aligned}\nf &= 1, \\\\\ng &= 2\n\\end{aligned}\n$$",
    "| `usd` | $P = P_{\\mathrm{USD}}$ (`headline_usd_bn`) | \\$2.6–4.4T |",
    "code `echo $HOME $1` stays literal\n\n```sh\nprice=$5\n```",
    "percent $100\\,G/Y$ and per head $10^9 G(t) / N(2023)$",
], ids=["escaped-currency", "aligned-block", "table-cell", "code", "maths-starting-with-a-number"])
def test_checker_accepts(good):
    assert math_markup_problems(good) == []
