"""Which language a piece of report prose is written in: deterministic, lazy and cheap.

The writing system settles most questions without statistics. Text with almost no Han
characters cannot be Chinese; text that is mostly Han with no kana is Chinese, and then
only Simplified versus Traditional remains, which a table of character forms answers.
langdetect is asked only where the script leaves the question open, and to name the
language of a finding. It then runs with a fixed seed, on a factory of its own holding
only the profiles the question needs, loaded on first use; answers are cached by text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from digestlint.han import HAN

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

SEED = 0
"""langdetect samples n-grams at random; a fixed seed makes every run give the same answer."""

CHINESE = ("zh-cn", "zh-tw")
UNDETERMINED_CHINESE = "zh"
"""A verdict for Chinese text whose characters do not tell Simplified from Traditional."""

LATIN_LANGUAGES = (
    "af", "ca", "cs", "cy", "da", "de", "en", "es", "et", "fi", "fr", "hr", "hu", "id", "it",
    "lt", "lv", "nl", "no", "pl", "pt", "ro", "sk", "sl", "so", "sq", "sv", "sw", "tl", "tr",
    "vi",
)  # fmt: skip
COMMON_LATIN_LANGUAGES = ("de", "en", "es", "fr", "it", "nl", "pt")
"""The Latin-script languages papers and reports are mostly written in: the candidates when
the question is which of them a text in the expected script is (e.g. English or French).
Short titles full of names mislead langdetect among all 31, and loading all costs more."""
SCRIPT_LANGUAGES: dict[str, tuple[str, ...]] = {
    "zh": CHINESE,
    "ja": ("ja",),
    "ko": ("ko",),
    "latin": LATIN_LANGUAGES,
    "cyrillic": ("bg", "mk", "ru", "uk"),
    "greek": ("el",),
    "hebrew": ("he",),
    "arabic": ("ar", "fa", "ur"),
    "devanagari": ("hi", "mr", "ne"),
    "bengali": ("bn",),
    "gurmukhi": ("pa",),
    "gujarati": ("gu",),
    "tamil": ("ta",),
    "telugu": ("te",),
    "kannada": ("kn",),
    "malayalam": ("ml",),
    "thai": ("th",),
}
"""langdetect's languages by the script they are written in."""

_OTHER_SCRIPTS = (
    ("\u0370", "\u03ff", "greek"),
    ("\u0400", "\u052f", "cyrillic"),
    ("\u0590", "\u05ff", "hebrew"),
    ("\u0600", "\u077f", "arabic"),
    ("\u0900", "\u097f", "devanagari"),
    ("\u0980", "\u09ff", "bengali"),
    ("\u0a00", "\u0a7f", "gurmukhi"),
    ("\u0a80", "\u0aff", "gujarati"),
    ("\u0b80", "\u0bff", "tamil"),
    ("\u0c00", "\u0c7f", "telugu"),
    ("\u0c80", "\u0cff", "kannada"),
    ("\u0d00", "\u0d7f", "malayalam"),
    ("\u0e00", "\u0e7f", "thai"),
)

LANGUAGE_NAMES = {
    "zh-cn": "Simplified Chinese",
    "zh-tw": "Traditional Chinese",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "ru": "Russian",
    "vi": "Vietnamese",
}

_ALIASES = {
    "zh-hans": "zh-cn",
    "zh-sg": "zh-cn",
    "zh-hant": "zh-tw",
    "zh-hk": "zh-tw",
    "zh-mo": "zh-tw",
}

# Pairs of a Simplified character and its Traditional form, both in common use, chosen so
# that neither side is a standard character of the other writing system: every
# Traditional form here is outside GB 2312 (the Simplified character set), and the
# Simplified forms that Traditional text also uses (于, 采, 准, 秘, 范...) are left out.
# The test suite checks both properties against Python's codecs.
_FORM_PAIRS = """
与與 专專 业業 东東 两兩 严嚴 个個 临臨 为為 举舉 义義 乐樂 习習 书書 买買 乱亂 争爭 亏虧 产產 亲親 亿億 仅僅 从從 仓倉
仪儀 们們 价價 众眾 优優 会會 传傳 伤傷 侦偵 侧側 俭儉 债債 倾傾 储儲 儿兒 兑兌 兰蘭 关關 兴興 养養 兽獸 冈岡 册冊 写寫
军軍 农農 决決 况況 冻凍 净淨 减減 凤鳳 击擊 刘劉 则則 刚剛 创創 别別 刹剎 剂劑 剑劍 剧劇 劝勸 办辦 务務 动動 励勵 劳勞
势勢 勋勳 匀勻 区區 医醫 华華 协協 单單 卖賣 卫衛 却卻 厂廠 厅廳 历歷 厉厲 压壓 县縣 参參 双雙 发發 变變 叠疊 叶葉 号號
叹嘆 吓嚇 吗嗎 听聽 启啟 员員 呜嗚 咏詠 响響 哗嘩 啸嘯 喷噴 嘱囑 团團 园園 围圍 国國 图圖 场場 坏壞 块塊 坚堅 坛壇 垄壟
垒壘 堕墮 墙牆 壮壯 声聲 壳殼 处處 备備 够夠 头頭 夺奪 奋奮 奖獎 奥奧 妆妝 妇婦 妈媽 姗姍 娄婁 娱娛 孙孫 学學 宁寧 宝寶
实實 审審 宪憲 宫宮 宽寬 宾賓 对對 寻尋 导導 将將 尔爾 尘塵 尝嘗 层層 届屆 属屬 屿嶼 岁歲 岗崗 岛島 峡峽 币幣 帅帥 师師
帜幟 带帶 帧幀 帮幫 并並 广廣 庆慶 庐廬 库庫 应應 废廢 开開 异異 弃棄 张張 弯彎 弹彈 强強 归歸 当當 录錄 彦彥 彻徹 径徑
忆憶 忏懺 忧憂 怀懷 态態 怜憐 总總 恋戀 恒恆 恳懇 恶惡 悦悅 惊驚 惧懼 惨慘 惩懲 惯慣 愤憤 懒懶 戏戲 战戰 户戶 执執 扩擴
扫掃 扬揚 扰擾 抚撫 抢搶 护護 报報 担擔 拟擬 拥擁 拨撥 择擇 挡擋 挣掙 挤擠 挥揮 捞撈 损損 捡撿 换換 据據 掷擲 揽攬 搅攪
携攜 摄攝 摆擺 摇搖 撑撐 敌敵 敛斂 数數 斋齋 断斷 无無 旧舊 时時 昼晝 显顯 晋晉 晒曬 晓曉 暂暫 术術 机機 杀殺 杂雜 权權
条條 来來 杨楊 极極 构構 枪槍 标標 栋棟 栏欄 树樹 样樣 档檔 桥橋 梦夢 检檢 椭橢 楼樓 欢歡 毁毀 气氣 汇匯 汉漢 汤湯 沟溝
没沒 沪滬 泪淚 泼潑 泽澤 洁潔 浅淺 测測 济濟 浏瀏 浑渾 浓濃 涛濤 涡渦 润潤 涨漲 渊淵 渐漸 渔漁 温溫 湾灣 湿濕 溃潰 滚滾
满滿 滤濾 滥濫 潜潛 灭滅 灯燈 灵靈 灾災 炉爐 点點 炼煉 烂爛 烟煙 烦煩 烧燒 热熱 焕煥 爱愛 爷爺 牍牘 牵牽 状狀 犹猶 独獨
狭狹 狮獅 猎獵 猪豬 献獻 玛瑪 环環 现現 琐瑣 电電 画畫 畅暢 疗療 疮瘡 疯瘋 痒癢 瘫癱 皱皺 盐鹽 监監 盖蓋 盘盤 睁睜 矫矯
码碼 砖磚 础礎 硕碩 确確 碍礙 礼禮 祸禍 禅禪 离離 种種 积積 称稱 税稅 稳穩 穷窮 窃竊 竖豎 竞競 笔筆 笼籠 筛篩 筹籌 签簽
简簡 篮籃 类類 粪糞 粮糧 紧緊 纠糾 红紅 约約 级級 纪紀 纯純 纲綱 纳納 纵縱 纸紙 纹紋 线線 练練 组組 细細 织織 终終 绍紹
经經 绑綁 结結 绕繞 绘繪 给給 络絡 绝絕 统統 继繼 绩績 续續 绳繩 维維 综綜 缓緩 编編 缘緣 缝縫 缩縮 网網 罗羅 罚罰 羡羨
翘翹 耸聳 聋聾 职職 联聯 聪聰 肃肅 肠腸 肤膚 肿腫 胁脅 胜勝 脉脈 脏臟 脑腦 脱脫 舆輿 舰艦 艰艱 艺藝 节節 芦蘆 苏蘇 茧繭
荐薦 荡蕩 荣榮 药藥 获獲 萝蘿 营營 蓝藍 虏虜 虑慮 虽雖 虾蝦 蚀蝕 蚁蟻 蛮蠻 衅釁 补補 袜襪 袭襲 装裝 见見 观觀 规規 觅覓
视視 览覽 觉覺 触觸 誉譽 誊謄 计計 认認 讨討 让讓 训訓 议議 讯訊 记記 讲講 许許 论論 设設 访訪 诀訣 证證 评評 识識 诉訴
词詞 译譯 试試 诗詩 诞誕 诡詭 询詢 该該 详詳 语語 误誤 诱誘 说說 请請 诸諸 读讀 课課 谁誰 调調 谈談 谊誼 谋謀 谓謂 谜謎
谢謝 谦謙 谨謹 谬謬 谱譜 贝貝 负負 贡貢 财財 责責 贤賢 败敗 货貨 质質 贫貧 购購 贮貯 贯貫 贴貼 贵貴 贷貸 贸貿 费費 贺賀
赁賃 资資 赋賦 赌賭 赏賞 赔賠 赖賴 赛賽 赞贊 赠贈 赢贏 赵趙 赶趕 趋趨 跃躍 践踐 跷蹺 踪蹤 躯軀 车車 轨軌 转轉 轮輪 软軟
轰轟 轴軸 轻輕 载載 轿轎 较較 辅輔 辉輝 辑輯 输輸 辖轄 辞辭 辩辯 边邊 达達 迁遷 过過 迈邁 运運 还還 这這 进進 远遠 违違
连連 迟遲 迹跡 选選 逊遜 递遞 逻邏 遗遺 遥遙 邓鄧 邮郵 邻鄰 郑鄭 酝醞 酱醬 释釋 鉴鑒 针針 钓釣 钙鈣 钞鈔 钟鐘 钢鋼 钥鑰
钩鉤 钱錢 钻鑽 铁鐵 铃鈴 铜銅 铭銘 银銀 铺鋪 链鏈 销銷 锁鎖 锅鍋 锈鏽 锋鋒 锐銳 错錯 锦錦 键鍵 镇鎮 镜鏡 镶鑲 长長 门門
闪閃 闭閉 问問 闯闖 闲閒 间間 闷悶 闸閘 闹鬧 闻聞 阀閥 阁閣 阅閱 阐闡 阔闊 队隊 阳陽 阴陰 阵陣 阶階 际際 陆陸 陈陳 陕陝
陨隕 险險 随隨 隐隱 隶隸 难難 雏雛 雳靂 雾霧 霁霽 静靜 韦韋 韧韌 韩韓 页頁 顶頂 项項 顺順 须須 顽頑 顾顧 颁頒 颂頌 预預
颅顱 领領 颇頗 颈頸 频頻 颖穎 颗顆 题題 颜顏 额額 颠顛 风風 飘飄 飞飛 饥饑 饭飯 饮飲 饰飾 饱飽 饲飼 饿餓 馆館 馈饋 馏餾
驰馳 驱驅 驴驢 驶駛 驻駐 驾駕 骂罵 骄驕 骆駱 验驗 骗騙 骚騷 骤驟 髅髏 鱼魚 鲁魯 鲜鮮 鸟鳥 鸡雞 鸣鳴 鸭鴨 鹅鵝 鹤鶴 麦麥
黄黃 齐齊 齿齒 龄齡 龙龍 龟龜
"""

MIN_UNITS = 3
"""Below this many words (two Han characters count as one), there is nothing to judge."""
MIN_FORM_MARKS = 3
"""Characters with distinct Simplified and Traditional forms needed to decide by characters."""
FORM_MAJORITY = 0.8
CJK_MAJORITY = 0.5
"""Share of Han characters among Han characters and words above which text is CJK."""
CJK_MINORITY = 0.2
"""Share below which text cannot be Chinese (nor Japanese or Korean)."""

# The commonest function words of the common Latin-script languages. Names and technical
# terms are shared between these languages; function words are what tells them apart.
_FUNCTION_WORDS_TEXT = {
    "en": "the of and for with from via to on in is are how your you what we our by at into "
    "towards toward through without beyond using can does do not an as when why which that "
    "this its their than more all under over across vs versus a be it or",
    "fr": "le la les des du de un une et pour avec dans sur par est sont au aux ne pas que "
    "qui ou en leur",
    "de": "der die das und mit für von zu im ist sind ein eine einer den dem des auf bei "
    "nicht aus zur zum über",
    "es": "el la los las del de y para con en por una un es son que al se su sus o",
    "it": "il lo la gli le dei delle di e per con nel della un una è sono che da del nella",
    "nl": "de het een en van voor met in op is zijn dat niet door bij naar uit",
    "pt": "o a os as do da dos das de e para com em por um uma é são que no na ao",
}
FUNCTION_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS_TEXT.items()}


class _Patterns:
    """The compiled patterns (a plain class: a dataclass costs import time)."""

    def __init__(self, **patterns: re.Pattern[str]) -> None:
        self.han_run = patterns["han_run"]
        self.kana_run = patterns["kana_run"]
        self.hangul_run = patterns["hangul_run"]
        self.latin_word = patterns["latin_word"]
        self.other_word = patterns["other_word"]
        self.gloss = patterns["gloss"]


@cache
def _patterns() -> _Patterns:
    """Compiled on first use, not at import: the CLI starts without paying for them."""
    other = "".join(f"{low}-{high}" for low, high, _ in _OTHER_SCRIPTS)
    # Runs rather than single characters: summing run lengths is several times faster.
    return _Patterns(
        han_run=re.compile(f"[{HAN}]+"),
        # Hiragana, katakana without the middle dot (Chinese text uses it too), phonetic
        # extensions and half-width katakana: only Japanese writes these.
        kana_run=re.compile(
            "[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]+"
        ),
        hangul_run=re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+"),
        latin_word=re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+"),
        other_word=re.compile(f"[{other}]+"),
        gloss=re.compile(f"[(（][^()（）\u3040-\u30ff{HAN}\uac00-\ud7af]*[)）]"),
    )


@dataclass(frozen=True)
class Verdict:
    """The language of a text: a langdetect code, how sure, and what decided it."""

    language: str
    probability: float
    basis: str
    """``script`` (the writing system), ``characters`` (Simplified/Traditional forms) or
    ``langdetect``."""

    def matches(self, expected: str) -> bool:
        expected = normalize_language(expected)
        if self.language == expected:
            return True
        chinese = (UNDETERMINED_CHINESE, *CHINESE)
        return UNDETERMINED_CHINESE in (self.language, expected) and (
            self.language in chinese and expected in chinese
        )

    def describe(self, min_probability: float | None = None) -> str:
        """E.g. ``English (en, probability 1.00 by langdetect)``.

        A langdetect verdict under ``min_probability`` was given because the writing
        system already rules the expected language out; the probability only ranks the
        languages of that script, and the text says so rather than look like a verdict
        that ignored the threshold."""
        basis = {"characters": "character forms"}.get(self.basis, self.basis)
        detail = f"{self.language}, probability {self.probability:.2f} by {basis}"
        if (
            self.basis == "langdetect"
            and min_probability is not None
            and self.probability < min_probability
        ):
            detail = (
                f"{self.language}: the writing system rules out the expected language; "
                f"langdetect's best guess among that script's languages, "
                f"probability {self.probability:.2f}"
            )
        name = LANGUAGE_NAMES.get(self.language)
        return f"{name} ({detail})" if name else f"`{self.language}` ({detail})"


@dataclass(frozen=True)
class ScriptCounts:
    """How much of a text each writing system holds."""

    han: int
    kana: int
    hangul: int
    latin_words: int
    other_words: int
    other_script: str | None
    """The script of the first word in none of the above, if any."""

    @property
    def cjk(self) -> int:
        return self.han + self.kana + self.hangul

    @property
    def units(self) -> float:
        return self.latin_words + self.other_words + self.cjk / 2

    @property
    def cjk_share(self) -> float:
        total = self.cjk + self.latin_words + self.other_words
        return self.cjk / total if total else 0.0

    def family(self) -> str | None:
        """The script family the text is written in (a key of :data:`SCRIPT_LANGUAGES`),
        or ``None`` when the mix of scripts leaves it open."""
        if self.cjk_share >= CJK_MAJORITY:
            if self.hangul >= 2 and self.hangul >= 0.3 * self.cjk:
                return "ko"
            if self.kana >= 2 and self.kana >= 0.1 * (self.han + self.kana):
                return "ja"
            if self.kana <= max(1, 0.02 * self.han) and self.hangul <= max(1, 0.02 * self.cjk):
                return "zh"
            return None
        if self.cjk < 2 or self.cjk_share < CJK_MINORITY:
            if self.latin_words >= self.other_words:
                return "latin"
            return self.other_script
        return None


def count_scripts(text: str) -> ScriptCounts:
    patterns = _patterns()
    other = patterns.other_word.findall(text)
    return ScriptCounts(
        han=_run_length(patterns.han_run, text),
        kana=_run_length(patterns.kana_run, text),
        hangul=_run_length(patterns.hangul_run, text),
        latin_words=len(patterns.latin_word.findall(text)),
        other_words=len(other),
        other_script=_script_of_char(other[0][0]) if other else None,
    )


def strip_glosses(text: str) -> str:
    """``text`` without parenthesized asides free of CJK characters. Chinese prose glosses
    its terms in English, ``平方化内积（Squared Inner Product）``: the gloss says nothing
    about the language of the sentence, and in a short text it can outweigh it. Text in
    another language loses only asides such as ``(see Table 2)``."""
    return _patterns().gloss.sub(" ", text)


def _run_length(pattern: re.Pattern[str], text: str) -> int:
    return sum(map(len, pattern.findall(text)))


def _script_of_char(char: str) -> str | None:
    return next((name for low, high, name in _OTHER_SCRIPTS if low <= char <= high), None)


@cache
def _form_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    pairs = _FORM_PAIRS.split()
    simplified = "".join(pair[0] for pair in pairs)
    traditional = "".join(pair[1] for pair in pairs)
    return re.compile(f"[{simplified}]"), re.compile(f"[{traditional}]")


def form_pairs() -> dict[str, str]:
    """The built-in table: Simplified character -> Traditional form."""
    return {pair[0]: pair[1] for pair in _FORM_PAIRS.split()}


def count_forms(text: str) -> tuple[int, int]:
    """``(simplified, traditional)``: characters of ``text`` only one writing system uses."""
    simplified, traditional = _form_patterns()
    return len(simplified.findall(text)), len(traditional.findall(text))


def normalize_language(code: str) -> str:
    code = code.strip().lower().replace("_", "-")
    return _ALIASES.get(code, code)


def script_of_language(code: str) -> str | None:
    code = normalize_language(code)
    if code == UNDETERMINED_CHINESE:
        return "zh"
    return next((s for s, langs in SCRIPT_LANGUAGES.items() if code in langs), None)


def known_languages() -> tuple[str, ...]:
    """Every language code langdetect has a profile for."""
    return tuple(sorted(lang for langs in SCRIPT_LANGUAGES.values() for lang in langs))


def function_word_counts(text: str) -> dict[str, int]:
    """How many words of ``text`` are function words of each language of :data:`FUNCTION_WORDS`."""
    words = [word.lower() for word in _patterns().latin_word.findall(text)]
    return {
        lang: sum(word in vocabulary for word in words)
        for lang, vocabulary in FUNCTION_WORDS.items()
    }


class LanguageIdentifier:
    """Identifies languages with its own seeded langdetect factories, one per set of
    candidate languages, each loading only its own profiles on first use."""

    def __init__(self, seed: int = SEED, cache_size: int = 8192) -> None:
        self.seed = seed
        self.cache_size = cache_size
        self._factories: dict[tuple[str, ...], DetectorFactory] = {}
        self._profiles: dict[str, str] = {}
        self._cache: dict[tuple[str, str, float], Verdict | None] = {}
        self._lock = threading.Lock()

    @property
    def loaded_profiles(self) -> tuple[str, ...]:
        """Languages whose profiles were read so far."""
        return tuple(sorted(self._profiles))

    def clear_cache(self) -> None:
        """Forget answers (profiles stay loaded)."""
        self._cache.clear()

    # -- the question a rule asks --------------------------------------------------------

    def identify(self, text: str, expected: str, min_probability: float = 0.9) -> Verdict | None:
        """The language of ``text`` as far as it matters against ``expected``, or ``None``
        when the text is too short or too featureless to tell.

        A statistical answer that disagrees with ``expected`` is returned only when its
        probability reaches ``min_probability``; below that the expected language is
        given the benefit of the doubt."""
        key = (text, expected, min_probability)
        if key in self._cache:
            return self._cache[key]
        verdict = self._identify(text, normalize_language(expected), min_probability)
        if len(self._cache) >= self.cache_size:
            self._cache.clear()
        self._cache[key] = verdict
        return verdict

    def _identify(self, text: str, expected: str, min_probability: float) -> Verdict | None:
        text = strip_glosses(text)
        counts = count_scripts(text)
        if counts.units < MIN_UNITS:
            return None
        family = counts.family()
        expected_script = script_of_language(expected)
        if family == "zh":
            return self._chinese_form(text, expected, min_probability)
        if family is None:
            return self._mixed(text, counts, expected, min_probability)
        if family == expected_script:
            return self._within_script(text, family, expected, min_probability)
        return self._name(text, family, min_probability)

    def _chinese_form(self, text: str, expected: str, min_probability: float) -> Verdict:
        """Simplified or Traditional: by the characters where they are clear, by
        langdetect where they are not (backed by the characters: a form is reported only
        if its characters outnumber the other's)."""
        simplified, traditional = count_forms(text)
        marks = simplified + traditional
        if marks >= MIN_FORM_MARKS:
            if traditional >= FORM_MAJORITY * marks:
                return Verdict("zh-tw", traditional / marks, "characters")
            if simplified >= FORM_MAJORITY * marks:
                return Verdict("zh-cn", simplified / marks, "characters")
            if expected in CHINESE:
                # Both forms in quantity: a text that drifts from one to the other. At
                # least half in the unexpected form is reported as that form.
                other = CHINESE[1] if expected == CHINESE[0] else CHINESE[0]
                share = (traditional if other == "zh-tw" else simplified) / marks
                if share >= 0.5:
                    return Verdict(other, share, "characters")
        prior = expected if expected in CHINESE else None
        ranked = self.probabilities(text, CHINESE, prior=prior)
        if ranked and ranked[0][1] >= min_probability:
            language, probability = ranked[0]
            backed = traditional > simplified if language == "zh-tw" else simplified > traditional
            if backed:
                return Verdict(language, probability, "langdetect")
        return Verdict(UNDETERMINED_CHINESE, 1.0, "script")

    def _within_script(
        self, text: str, family: str, expected: str, min_probability: float
    ) -> Verdict | None:
        """The script is the expected one: e.g. English or French? Function words tell
        first: text without any (names and terms, as in many titles) gives no verdict,
        text with the expected language's and no more of another's passes; langdetect
        (among the common languages of the script) decides the rest."""
        languages = SCRIPT_LANGUAGES[family]
        if len(languages) == 1:
            return Verdict(expected, 1.0, "script")
        if family == "latin":
            counts = function_word_counts(text)
            if not any(counts.values()):
                return None
            if counts.get(expected, 0) and counts[expected] >= max(counts.values()):
                return Verdict(expected, 1.0, "script")
            languages = tuple(sorted({*COMMON_LATIN_LANGUAGES, expected}))
        ranked = self.probabilities(text, languages, prior=expected)
        if not ranked:
            return None
        if ranked[0][0] != expected and ranked[0][1] >= min_probability:
            return Verdict(ranked[0][0], ranked[0][1], "langdetect")
        return Verdict(expected, dict(ranked).get(expected, 0.0), "langdetect")

    def _name(self, text: str, family: str, min_probability: float) -> Verdict:
        """The script rules out the expected language; langdetect names the language.
        Latin-script text is first asked against the common languages, and against all
        31 only if none of those is likely enough (that loads 24 more profiles)."""
        steps = [SCRIPT_LANGUAGES[family]]
        if family in ("ja", "ko"):
            # Kana and hangul text is full of Han characters: ask against Chinese too.
            steps = [(*SCRIPT_LANGUAGES[family], *CHINESE)]
        elif family == "latin":
            steps = [COMMON_LATIN_LANGUAGES, LATIN_LANGUAGES]
        for languages in steps:
            if len(languages) < 2:
                break
            ranked = self.probabilities(text, languages)
            if not ranked or script_of_language(ranked[0][0]) != family:
                break
            if ranked[0][1] >= min_probability or languages is steps[-1]:
                return Verdict(ranked[0][0], ranked[0][1], "langdetect")
        if len(SCRIPT_LANGUAGES[family]) == 1:
            return Verdict(SCRIPT_LANGUAGES[family][0], 1.0, "script")
        return Verdict(f"{family} script", 1.0, "script")

    def _mixed(
        self, text: str, counts: ScriptCounts, expected: str, min_probability: float
    ) -> Verdict | None:
        """Scripts mixed in comparable amounts: langdetect decides among the CJK
        languages and, for the Latin words, English, the language of borrowed terms."""
        languages = {"ja", *CHINESE}
        if counts.hangul:
            languages.add("ko")
        if counts.latin_words:
            languages.add("en")
        if counts.other_script:
            languages.update(SCRIPT_LANGUAGES[counts.other_script])
        if expected in known_languages():
            languages.add(expected)
        prior = expected if expected in languages else None
        ranked = self.probabilities(text, tuple(sorted(languages)), prior=prior)
        if not ranked:
            return None
        language, probability = ranked[0]
        if language in CHINESE:
            return self._chinese_form(text, expected, min_probability)
        if language == expected or probability >= min_probability:
            return Verdict(language, probability, "langdetect")
        return None

    # -- langdetect ----------------------------------------------------------------------

    def probabilities(
        self, text: str, languages: tuple[str, ...], prior: str | None = None
    ) -> list[tuple[str, float]]:
        """langdetect's ranking of ``languages`` for ``text``, best first; ``[]`` when
        the text has no features. ``prior`` gets half of the prior probability."""
        from langdetect.lang_detect_exception import LangDetectException

        languages = tuple(sorted(set(languages)))
        detector = self.factory(languages).create()
        if prior is not None and prior in languages:
            others = (0.5 / (len(languages) - 1)) if len(languages) > 1 else 0.0
            detector.set_prior_map({lang: 0.5 if lang == prior else others for lang in languages})
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:
            return []
        return [(item.lang, item.prob) for item in ranked]

    def factory(self, languages: tuple[str, ...]) -> DetectorFactory:
        """A seeded factory holding exactly the profiles of ``languages`` (two or more)."""
        factory = self._factories.get(languages)
        if factory is not None:
            return factory
        from langdetect.detector_factory import DetectorFactory

        with self._lock:
            factory = self._factories.get(languages)
            if factory is None:
                factory = DetectorFactory()
                factory.set_seed(self.seed)
                factory.load_json_profile([self._profile(lang) for lang in languages])
                self._factories[languages] = factory
        return factory

    def _profile(self, language: str) -> str:
        if language not in self._profiles:
            from langdetect.detector_factory import PROFILES_DIRECTORY

            path = Path(PROFILES_DIRECTORY) / language
            self._profiles[language] = path.read_text(encoding="utf-8")
        return self._profiles[language]


@cache
def default_identifier() -> LanguageIdentifier:
    """The process-wide identifier: profiles and answers are shared by every lint pass."""
    return LanguageIdentifier()
