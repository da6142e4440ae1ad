"""The language rules (DL901 section-language, DL902 title-language) and their detector."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestlint import lint_text
from digestlint.config import Config, Settings
from digestlint.language import (
    LanguageIdentifier,
    count_forms,
    count_scripts,
    form_pairs,
)
from digestlint.profile import HF_DAILY_PAPERS_ZH

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hf-daily-papers-2026-02-20.md"

ENGLISH = (
    "We propose a linear attention mechanism that matches softmax attention in accuracy "
    "while keeping training and inference linear in the sequence length."
)
TRADITIONAL = (
    "本研究提出了一種基於大型語言模型的多智能體學習演算法框架，透過程式碼層面的自動搜尋，"
    "發現了收斂速度更快、穩健性更強的新演算法，並在多個賽局環境中驗證了其通用性。"
)
JAPANESE = (
    "本研究では、大規模言語モデルを用いた進化的アルゴリズムにより、"
    "新しいマルチエージェント学習アルゴリズムを自動的に発見する手法を提案する。"
)
CHINESE_WITH_TERMS = (
    "模型基于 Llama 2 架构修改，引入了 input convolution（卷积核大小为2）和 softplus decay "
    "mask，核心计算将 Softmax Attention 替换为 Squared Inner Product。"
)
SIMPLIFIED = (
    "提出了一种线性注意力机制，在保持训练和推理线性复杂度的同时，实现了与标准注意力相当的精度。"
)

HEADER = """# Hugging Face Daily Papers Report
**Date**: 2026-02-20
**Source URL**: https://huggingface.co/papers/date/2026-02-20

============================================================
"""


def paper(title: str, bodies: list[str], number: int = 1) -> str:
    names = ["应用领域", "一句话核心贡献", "使用指南", "主要创新点", "实验效果"]
    sections = "\n".join(
        f"### {n}. {name}\n{body}\n"
        for n, (name, body) in enumerate(zip(names, bodies, strict=True), 1)
    )
    return (
        f"\n## 📄 {title}\n\n- **链接**: https://huggingface.co/papers/2602.0000{number}\n"
        f"- **阅读来源**: HTML\n\n{sections}\n"
        "============================================================\n"
    )


REPORT = (
    HEADER
    + paper(
        "Linear Attention with Squared Inner Products",
        [SIMPLIFIED, ENGLISH, TRADITIONAL, JAPANESE, CHINESE_WITH_TERMS],
    )
    + paper(
        "Computer-Using World Model",
        [
            "",
            "https://example.com/only-a-url",
            "$$\nE = mc^2 + \\sum_{i=1}^{n} x_i\n$$",
            "`torch.compile(model)` $O(n^2)$ <https://arxiv.org/abs/2602.00002>",
            SIMPLIFIED,
        ],
        number=2,
    )
    + paper("计算机使用的世界模型", [SIMPLIFIED] * 5, number=3)
)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def language_findings(text: str, select: str = "DL9", settings: Settings | None = None):
    settings = settings or Settings(Config(select=[select]))
    return [f for f in lint_text(text, settings) if f.code.startswith("DL9")]


def test_english_traditional_and_japanese_sections_are_reported_on_their_first_line() -> None:
    findings = language_findings(REPORT, "DL901")
    assert [(f.line, f.column) for f in findings] == [
        (line_of(REPORT, ENGLISH), 1),
        (line_of(REPORT, TRADITIONAL), 1),
        (line_of(REPORT, JAPANESE), 1),
    ]
    english, traditional, japanese = (f.message for f in findings)
    assert "English (en, probability" in english
    assert "一句话核心贡献" in english
    assert "Traditional Chinese (zh-tw, probability" in traditional
    assert "Japanese (ja, probability" in japanese
    assert all("expected Simplified Chinese (zh-cn)" in f.message for f in findings)


def test_finding_spans_the_body_line_when_the_body_follows_the_label() -> None:
    text = (
        HEADER
        + "\n## 📄 Some Paper About Things\n\n- **链接**: https://huggingface.co/papers/2602.1\n"
        "- **阅读来源**: HTML\n\n"
        f"1. **应用领域**：\n   {SIMPLIFIED}\n\n"
        f"2. **一句话核心贡献**：{ENGLISH}\n"
    )
    [finding] = language_findings(text, "DL901")
    line = line_of(text, ENGLISH)
    label_end = text.split("\n")[line - 1].index(ENGLISH) + 1
    assert (finding.line, finding.column) == (line, label_end)
    assert finding.end_line == line


def test_mixed_empty_url_formula_and_code_sections_pass() -> None:
    reported = {f.line for f in language_findings(REPORT, "DL901")}
    for quiet in (
        CHINESE_WITH_TERMS,
        "https://example.com/only-a-url",
        "E = mc^2",
        "torch.compile",
    ):
        assert line_of(REPORT, quiet) not in reported


def test_a_chinese_title_is_reported_and_english_titles_pass() -> None:
    [finding] = language_findings(REPORT, "DL902")
    assert finding.line == line_of(REPORT, "计算机使用的世界模型")
    assert finding.column == REPORT.split("\n")[finding.line - 1].index("计算机") + 1
    assert "Simplified Chinese (zh-cn" in finding.message
    assert "expected English (en)" in finding.message


def test_title_check_is_skipped_without_a_title_language() -> None:
    settings = Settings(Config(select=["DL902"]))
    settings.profile = HF_DAILY_PAPERS_ZH.model_copy(update={"title_language": None})
    assert language_findings(REPORT, settings=settings) == []


def test_the_report_language_comes_from_the_profile() -> None:
    settings = Settings(Config(select=["DL901"]))
    settings.profile = HF_DAILY_PAPERS_ZH.model_copy(update={"language": "zh-tw"})
    lines = [f.line for f in language_findings(REPORT, settings=settings)]
    assert line_of(REPORT, TRADITIONAL) not in lines
    assert line_of(REPORT, SIMPLIFIED) in lines
    assert line_of(REPORT, ENGLISH) in lines


def test_the_seed_has_no_language_findings() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert language_findings(text) == []
    assert [f for f in lint_text(text) if f.code.startswith("DL9")] == []


def test_seed_is_decided_by_script_alone_and_langdetect_is_never_imported() -> None:
    """Checked in a fresh interpreter: importing digestlint and linting the seed with
    the language rules on neither imports langdetect nor loads a profile."""
    code = (
        "import sys\n"
        "import digestlint.cli\n"
        "assert 'langdetect' not in sys.modules, 'imported with digestlint'\n"
        "from pathlib import Path\n"
        "from digestlint import lint_text\n"
        "from digestlint.language import default_identifier\n"
        f"lint_text(Path({str(SEED)!r}).read_text(encoding='utf-8'))\n"
        "print(sorted(m for m in sys.modules if m.startswith('langdetect')))\n"
        "print(default_identifier().loaded_profiles)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:2] == ["[]", "()"]


def test_only_the_profiles_a_question_needs_are_loaded() -> None:
    identifier = LanguageIdentifier()
    assert identifier.identify(JAPANESE, "zh-cn").language == "ja"
    assert identifier.loaded_profiles == ("ja", "zh-cn", "zh-tw")
    assert identifier.identify(ENGLISH, "zh-cn").language == "en"
    assert "en" in identifier.loaded_profiles
    assert "ko" not in identifier.loaded_profiles
    assert len(identifier.loaded_profiles) < 12


DETERMINISM_TEXTS = [
    ENGLISH,
    TRADITIONAL,
    JAPANESE,
    CHINESE_WITH_TERMS,
    "基于 Llama 2 架构修改，引入了 input convolution",
    "发现 SHOR-PSRO (Smoothed Hybrid Optimistic Regret PSRO)：",
    "本研究提出了一種基於大型語言模型的方法",
    "Apprentissage profond pour la traduction automatique des articles",
    "이 연구는 대규모 언어 모델을 사용하여 새로운 학습 알고리즘을 제안한다.",
]


def test_same_findings_and_probabilities_under_any_hash_seed(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    texts = tmp_path / "texts.json"
    texts.write_text(json.dumps(DETERMINISM_TEXTS), encoding="utf-8")
    code = (
        "import json, sys\n"
        "from digestlint.language import LanguageIdentifier\n"
        "identifier = LanguageIdentifier()\n"
        "for text in json.load(open(sys.argv[1], encoding='utf-8')):\n"
        "    for expected in ('zh-cn', 'en'):\n"
        "        print(repr(identifier.identify(text, expected)))\n"
        "    print(identifier.probabilities(text, ('en', 'ja', 'zh-cn', 'zh-tw')))\n"
    )
    outputs = []
    for hash_seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        verdicts = subprocess.run(
            [sys.executable, "-c", code, str(texts)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        lint = subprocess.run(
            [
                sys.executable,
                "-m",
                "digestlint",
                "--select",
                "DL9",
                "--format",
                "json",
                str(report),
            ],
            capture_output=True,
            text=True,
            env=env,
        ).stdout
        outputs.append((verdicts, lint))
    assert outputs[0] == outputs[1] == outputs[2]
    verdicts, lint = outputs[0]
    assert "basis='langdetect'" in verdicts  # the statistical path was exercised
    assert len(json.loads(lint)) == 4


@pytest.mark.parametrize(
    "text",
    ["", "   ", "12345 67 !!", "$$ $$", "见上文", "N/A", "---", "∑ ∫ ∂ → ∞", "2602.15569"],
)
def test_short_and_featureless_text_gives_no_verdict(text: str) -> None:
    identifier = LanguageIdentifier()
    assert identifier.identify(text, "zh-cn") is None
    assert identifier.identify(text, "en") is None


def test_langdetect_without_features_gives_an_empty_ranking_not_an_exception() -> None:
    assert LanguageIdentifier().probabilities("12345 !!! ...", ("en", "fr")) == []


def test_titles_of_names_and_terms_only_give_no_verdict() -> None:
    identifier = LanguageIdentifier()
    assert identifier.identify("Arcee Trinity Large Technical Report", "en") is None
    assert identifier.identify("Apprentissage profond pour la traduction", "en").language == "fr"
    assert identifier.identify("Unified Latents (UL): How to train your latents", "en").matches(
        "en"
    )


@pytest.mark.parametrize(
    ("text", "language", "basis"),
    [
        ("该方法在多个基准上取得了最好的结果。", "zh-cn", "characters"),
        ("該方法在多個基準上取得了最好的結果。", "zh-tw", "characters"),
        # Two marked characters only: langdetect decides, the characters back it.
        ("本研究提出了一種基於大型語言模型的方法", "zh-tw", "langdetect"),
    ],
)
def test_simplified_and_traditional(text: str, language: str, basis: str) -> None:
    verdict = LanguageIdentifier().identify(text, "zh-cn")
    assert (verdict.language, verdict.basis) == (language, basis)


def test_chinese_without_marked_characters_passes_either_form() -> None:
    # No character here differs between the two forms; no form can be claimed.
    verdict = LanguageIdentifier().identify("大型模型的方法和目的在于提高精度", "zh-tw")
    assert verdict is not None
    assert verdict.matches("zh-tw")
    assert verdict.matches("zh-cn")


def test_script_counts() -> None:
    counts = count_scripts("基于 Llama 2 架构修改，引入了 input convolution")
    assert (counts.han, counts.kana, counts.hangul, counts.latin_words) == (9, 0, 0, 3)
    assert counts.family() == "zh"
    assert count_scripts(JAPANESE).family() == "ja"
    assert count_scripts(ENGLISH).family() == "latin"
    assert count_scripts("Мы предлагаем новый метод обучения").family() == "cyrillic"


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_form_table_separates_the_two_writing_systems() -> None:
    pairs = form_pairs()
    assert len(pairs) > 500
    assert not set(pairs) & set(pairs.values())
    for simplified, traditional in pairs.items():
        assert simplified != traditional
        # GB 2312 is the Simplified character set, Big5 the Traditional one.
        assert _encodes(simplified, "gb2312"), simplified
        assert _encodes(traditional, "big5"), traditional
        assert not _encodes(traditional, "gb2312"), traditional
    assert count_forms(TRADITIONAL)[1] > 10 * max(1, count_forms(TRADITIONAL)[0])
    assert count_forms(SIMPLIFIED)[0] >= 3 and count_forms(SIMPLIFIED)[1] == 0


def test_answers_are_cached_by_text() -> None:
    identifier = LanguageIdentifier()
    first = identifier.identify(ENGLISH, "zh-cn")
    assert identifier.identify(ENGLISH, "zh-cn") is first
    identifier.clear_cache()
    assert identifier.identify(ENGLISH, "zh-cn") == first


def test_english_glosses_in_parentheses_do_not_outweigh_the_chinese() -> None:
    identifier = LanguageIdentifier()
    for text in (
        "发现 SHOR-PSRO (Smoothed Hybrid Optimistic Regret PSRO)：",
        "提出了平方化内积（Squared Inner Product for Linear Attention Mechanisms）",
    ):
        assert identifier.identify(text, "zh-cn").matches("zh-cn"), text
    english = "We compare with strong baselines (see Table 2 and Figure 3) on all benchmarks."
    assert identifier.identify(english, "zh-cn").language == "en"


def test_a_section_drifting_into_traditional_is_reported() -> None:
    drifting = (
        "该方法在多个基准上取得了最好的结果。"
        + "該方法在多個基準上取得了最好的結果，並顯著降低了推理時間。"
    )
    verdict = LanguageIdentifier().identify(drifting, "zh-cn")
    assert (verdict.language, verdict.basis) == ("zh-tw", "characters")
    # A Simplified text that names a few things in Traditional characters is not.
    quoting = (
        "该研究由台灣大學与多个机构合作完成，并在多个基准上取得了最好的结果，显著降低了推理时间。"
    )
    assert LanguageIdentifier().identify(quoting, "zh-cn").language == "zh-cn"


_FIRST = LanguageIdentifier()
_SECOND = LanguageIdentifier()


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(
            list(
                "的是在了一种模型這個們學習のはをアイウ한국어abcdeXYZ héllo мир 0123 ,.;:()（）*$`"
            )
        ),
        max_size=60,
    ),
    expected=st.sampled_from(["zh-cn", "zh-tw", "en", "ja", "fr"]),
)
def test_any_text_gets_an_answer_or_none_never_an_exception(text: str, expected: str) -> None:
    verdict = _FIRST.identify(text, expected)
    assert verdict is None or 0.0 <= verdict.probability <= 1.0
    # A second identifier with its own factories answers the same: nothing random leaks.
    assert _SECOND.identify(text, expected) == verdict


def test_the_seed_converted_to_traditional_is_flagged_in_every_section() -> None:
    from digestlint.parse import parse

    traditional = SEED.read_text(encoding="utf-8").translate(str.maketrans(form_pairs()))
    sections = [s for p in parse(traditional, HF_DAILY_PAPERS_ZH).papers for s in p.sections]
    findings = language_findings(traditional, "DL901")
    assert len(sections) > 40
    assert [f.line for f in findings] == [s.body_line for s in sections]
    assert all("(zh-tw," in f.message for f in findings)


def test_one_english_section_in_the_seed_is_the_only_finding() -> None:
    seed = SEED.read_text(encoding="utf-8")
    chinese = "通过解构并精简 Mamba-2 架构"
    start = seed.index(chinese)
    end = seed.index("\n", start)
    text = seed[:start] + ENGLISH + seed[end:]
    [finding] = language_findings(text)
    assert (finding.code, finding.line, finding.column) == ("DL901", line_of(seed, chinese), 1)
