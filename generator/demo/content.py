"""Demo school: what students upload — outcome and performance texts, and the attachments.

Attachments are tiny but real files (a one-page PDF, a PNG): the demo shares one blob of
each kind among every record, so a school of thousands stays a few megabytes.
"""

from __future__ import annotations

import struct
import zlib

# topic -> [(slug, title, summary)]
OUTCOMES = {
    "chinese": [
        ("poetry-notes", "唐詩意象整理筆記", "整理李白與杜甫詩作中的月亮意象，比較兩人風格差異並製作對照表。"),
        ("interview-essay", "家鄉長輩訪談寫作", "訪談社區長輩的求學經驗，撰寫約兩千字的人物報導。"),
        ("book-review", "課外讀物閱讀心得", "閱讀一本臺灣文學作品，分析人物心境的轉折並寫成書評。"),
        ("debate-brief", "議題辯論立論稿", "針對校園手機使用規範撰寫正方立論稿，並整理反方可能的質詢。"),
        ("essay-revision", "記敘文三次修改歷程", "保留同一篇記敘文的三次修改稿，說明每次修改的理由與收穫。"),
    ],
    "english": [
        ("speech-script", "英文演講稿：我的夢想職業", "撰寫三分鐘英文演講稿，說明想成為的職業與目前的準備方式。"),
        ("reading-log", "英文小說閱讀紀錄", "每週閱讀一章英文小說，以英文摘要情節並記錄新學到的字彙。"),
        ("travel-brochure", "英文城市導覽手冊", "以英文設計家鄉的一日遊導覽手冊，介紹三個景點與交通方式。"),
        ("news-summary", "英文新聞摘要練習", "選讀五則英文新聞，寫出重點摘要並提出自己的看法。"),
    ],
    "math": [
        ("probability-game", "機率遊戲設計", "設計一個擲骰子遊戲並計算各種結果的機率，以實驗驗證計算結果。"),
        ("function-graphs", "函數圖形探索報告", "使用繪圖軟體觀察參數改變時二次函數圖形的變化並整理規律。"),
        ("statistics-survey", "校園統計調查", "調查同學每日睡眠時數，計算平均數與標準差並繪製統計圖表。"),
        ("geometry-proof", "幾何證明整理", "整理三種證明畢氏定理的方法，比較各方法的思路與優缺點。"),
    ],
    "physics": [
        ("pendulum-lab", "單擺週期實驗", "測量不同擺長的單擺週期，驗證週期與擺長平方根成正比。"),
        ("projectile-video", "拋體運動影片分析", "以手機拍攝投籃過程，逐格分析球的軌跡並估算初速度。"),
        ("circuit-build", "簡易電路製作", "設計並製作串聯與並聯電路，量測電流電壓並比較兩者差異。"),
    ],
    "biology": [
        ("plant-observation", "校園植物觀察報告", "觀察校園十種植物的四季變化並整理成圖鑑。"),
        ("cell-drawing", "洋蔥表皮細胞觀察", "使用顯微鏡觀察洋蔥表皮細胞，繪製細胞構造並標示各部位名稱。"),
        ("pond-ecology", "生態池物種調查", "調查校內生態池的水生生物種類與數量，討論環境變化的影響。"),
    ],
    "chemistry": [
        ("titration-lab", "酸鹼滴定實驗報告", "以滴定法測定食醋中醋酸的濃度，並討論誤差來源。"),
        ("crystal-growth", "晶體培養紀錄", "以不同溫度培養明礬晶體，記錄晶體成長速度與外形差異。"),
        ("indicator-cabbage", "紫高麗菜指示劑", "自製紫高麗菜汁指示劑，測試家中常見液體的酸鹼性。"),
    ],
    "history": [
        ("timeline-poster", "臺灣近代史大事年表", "整理重要歷史事件，製作圖文並茂的年表海報。"),
        ("old-street-survey", "老街歷史踏查報告", "實地走訪老街，記錄三棟老建築的立面特色與用途變遷。"),
        ("oral-history", "家族口述歷史", "訪談祖父母的生活經驗，整理成口述歷史紀錄並對照時代背景。"),
    ],
    "geography": [
        ("map-reading", "等高線地形判讀", "判讀學校附近的等高線地形圖，繪製剖面圖並說明地形特徵。"),
        ("river-field-trip", "河川地形考察", "實地考察河川中下游，拍攝並說明曲流與沙洲的形成原因。"),
        ("weather-record", "一個月天氣觀測", "每日記錄氣溫、雨量與雲量，整理成圖表並與氣象站資料比較。"),
    ],
    "civics": [
        ("budget-proposal", "班級經費提案", "模擬公共預算程序，為班級活動擬定經費提案並進行表決。"),
        ("court-visit", "法院旁聽心得", "參加法院旁聽活動，整理審判程序並寫下對司法制度的看法。"),
        ("news-literacy", "媒體識讀練習", "比較三家媒體對同一事件的報導角度，分析標題與用詞的差異。"),
    ],
    "technology": [
        ("laser-box", "雷射切割收納盒", "使用繪圖軟體設計收納盒並以雷射切割機製作，記錄修正過程。"),
        ("bridge-model", "紙橋承重設計", "以紙材設計橋樑結構，測試最大承重並分析結構強度的原因。"),
    ],
    "computing": [
        ("python-game", "Python 猜數字遊戲", "以 Python 撰寫猜數字遊戲，加入次數統計與難度選擇功能。"),
        ("web-page", "個人網頁製作", "使用 HTML 與 CSS 製作個人介紹網頁，並說明版面設計的考量。"),
        ("data-chart", "開放資料視覺化", "下載政府開放資料，以試算表整理並繪製趨勢圖表。"),
    ],
    "art": [
        ("still-life", "靜物素描作品集", "完成三幅靜物素描，記錄明暗表現的練習與改進。"),
        ("poster-design", "校慶海報設計", "為校慶設計宣傳海報，說明配色與版面構成的想法。"),
    ],
    "music": [
        ("recorder-piece", "直笛合奏錄音", "與同學練習直笛二部合奏，錄製演奏並撰寫練習心得。"),
        ("song-analysis", "流行歌曲曲式分析", "分析一首流行歌曲的曲式與和弦進行，整理成圖表說明。"),
    ],
    "inquiry": [
        ("mung-bean-germination", "溫度對綠豆發芽的影響", "設計對照實驗，比較三種溫度下綠豆的發芽率與胚根長度。"),
        ("noise-map", "校園噪音地圖", "以分貝計測量校園各處的噪音，繪製噪音地圖並提出改善建議。"),
        ("water-quality", "社區水質檢測", "採集社區三處水樣，檢測酸鹼值與濁度並比較差異。"),
    ],
}

# (slug, category, title, summary, attachment extension)
PERFORMANCES = [
    ("library-volunteer", "service", "圖書館志工服務", "每週兩次於學校圖書館協助書籍上架與借還書服務，累計三十小時。", "pdf"),
    ("beach-cleanup", "service", "淨灘志工活動", "參加社區淨灘活動，協助分類回收垃圾並記錄海洋廢棄物種類。", "png"),
    ("typing-test", "certificate", "中文打字能力檢定合格", "參加中文打字能力檢定，以每分鐘四十五字通過合格標準。", "pdf"),
    ("gept-intermediate", "certificate", "全民英檢中級初試通過", "通過全民英檢中級初試，聽力與閱讀成績皆達標準。", "pdf"),
    ("math-contest", "competition", "校內數學競賽佳作", "參加校內數學能力競賽，於年級組獲得佳作。", "png"),
    ("science-fair", "competition", "科學展覽校內初賽", "與同學合作研究校園植物，參加科學展覽校內初賽獲得優等。", "png"),
    ("english-speech-contest", "competition", "校內英語演講比賽", "以減塑生活為題參加校內英語演講比賽，獲得年級組第三名。", "png"),
    ("photo-work", "work", "攝影作品〈晨光操場〉", "以清晨的操場為主題拍攝一系列照片，入選校內攝影展展出。", "png"),
    ("python-self-study", "flexible_learning", "彈性學習：Python 自主學習", "利用彈性學習時間自學 Python，完成五個小程式並撰寫學習計畫。", "pdf"),
    ("sports-day-mc", "group_activity", "運動會司儀", "擔任校慶運動會司儀，負責開幕與各項比賽的串場介紹。", "png"),
    ("bookstore-internship", "workplace", "書店職場體驗", "於社區書店進行一週職場體驗，協助陳列書籍與接待顧客。", "png"),
    ("calculus-prep", "advanced_course", "大學先修微積分", "修讀大學開設的先修微積分課程，完成全部作業並通過期末測驗。", "pdf"),
]

COUNSELING = [
    "檢視上學期各科學習狀況，建議參加課後輔導並調整讀書計畫。",
    "與學生討論學習歷程檔案的整理方式，說明課程學習成果與多元表現的勾選規則。",
    "學生詢問多元選修的選課時程，說明選課系統操作方式與加退選期限。",
    "討論選組方向，建議先修讀相關加深課程，並參考大學校系學群介紹。",
    "學生對未來方向仍不確定，協助完成興趣量表並討論結果，建議多參加校系探索講座。",
    "討論專題研究選題，建議從校內可取得的資料著手。",
]


def pdf_bytes(text: str = "Demo portfolio attachment") -> bytes:
    """A valid one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_bytes(width: int = 16, height: int = 16) -> bytes:
    """A valid RGB PNG: a small two-colour gradient."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"".join(bytes((x * 16, 120, y * 16)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", _stored_zlib(rows)) + chunk(b"IEND", b"")


def _stored_zlib(data: bytes) -> bytes:
    """An uncompressed zlib stream: the same bytes whatever zlib build compresses elsewhere."""
    assert len(data) < 0x10000
    block = b"\x01" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data
    return b"\x78\x01" + block + struct.pack(">I", zlib.adler32(data))
