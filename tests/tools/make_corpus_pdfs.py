"""Write the PDF documents of corpus/ (run once; the PDFs are committed).

    python tests/tools/make_corpus_pdfs.py

Needs reportlab (a dev dependency). The letters are written the way IR teams lay them out: a
two-column shareholder letter with a production table, and a single-column quarterly letter.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

ROOT = Path(__file__).resolve().parents[2] / "corpus"
STYLES = getSampleStyleSheet()

TWO_COLUMN_PARAGRAPHS = [
    "Dear fellow shareholders,",
    "The third quarter of fiscal 2026 was the strongest in our history. HIVE Digital Technologies "
    "produced 865 Bitcoin in the quarter ended December 31, 2025, while our average hashrate rose "
    "to 21.4 EH/s.",
    "We closed the quarter with an operational hashrate of 23.0 EH/s and we are targeting 35 EH/s "
    "by the end of calendar 2026, as our Paraguay expansion comes online.",
    "Our treasury remains a core strength: as of December 31, 2025, HIVE held 512 BTC on its "
    "balance sheet. During the quarter we sold 700 BTC for proceeds of $74.1 million to fund "
    "construction.",
    "The Bitcoin network hashrate averaged 1,050 EH/s over the quarter, a level that continues to "
    "reward the most efficient operators.",
    "In November, the Board appointed Darcy Daubaras as Chief Financial Officer. She succeeds "
    "Jeff Stubbs, who retired after several years of service.",
    "Operations. Our Yguazu site in Paraguay energized its first 100 megawatts during the quarter, "
    "and our Canadian sites in New Brunswick and Quebec ran with uptime above 95 percent. Fleet "
    "efficiency improved to 19.2 joules per terahash as older machines were retired.",
    "High performance computing. Our GPU cloud business grew revenue for the fourth consecutive "
    "quarter, with utilization of our NVIDIA H100 and H200 clusters above 90 percent. We see AI "
    "workloads as a natural complement to bitcoin mining on the same power footprint.",
    "Capital allocation. We funded our expansion through a combination of operating cash flow, "
    "equipment financing and the sale of bitcoin described above, and we ended the quarter with "
    "no convertible debt outstanding.",
    "Outlook. Our priorities for the coming year are unchanged: grow hashrate efficiently, keep our "
    "cost per coin among the lowest in the industry, and build a durable HPC business.",
    "Thank you for your continued support.",
    "Aydin Kilic, President and Chief Executive Officer",
]


def _production_table(rows: list[list[str]]) -> Table:
    table = Table(rows, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def two_column_letter(path: Path) -> None:
    """Two columns whose lines are drawn alternately (left, right, left, ...), as some layout
    tools emit them, so that reading the content stream in order would interleave the columns."""
    width, height = LETTER
    margin, gutter = 54, 28
    column = (width - 2 * margin - gutter) / 2
    pdf = canvas.Canvas(str(path), pagesize=LETTER)
    pdf.setTitle("HIVE Digital Technologies - Letter to Shareholders, Q3 Fiscal 2026")
    pdf.setAuthor("HIVE Digital Technologies Ltd.")
    paragraphs = list(TWO_COLUMN_PARAGRAPHS)
    page = 1
    while paragraphs:
        pdf.setFont("Helvetica-Bold", 13)
        pdf.drawString(
            margin, height - 60, "HIVE Digital Technologies Ltd. - Letter to Shareholders"
        )
        pdf.setFont("Helvetica", 9)
        left, paragraphs = _fill_column(paragraphs, column, 52)
        right, paragraphs = _fill_column(paragraphs, column, 52)
        y = height - 110
        for index in range(max(len(left), len(right))):
            if index < len(left):
                pdf.drawString(margin, y, left[index])
            if index < len(right):
                pdf.drawString(margin + column + gutter, y, right[index])
            y -= 12
        pdf.drawString(width / 2, 30, str(page))
        pdf.showPage()
        page += 1
    _draw_grid_table(pdf, margin, height - 120, PRODUCTION_ROWS)
    pdf.drawString(width / 2, 30, str(page))
    pdf.showPage()
    pdf.save()


PRODUCTION_ROWS = [
    ["Production summary", "Q3 FY2026", "Q2 FY2026"],
    ["Bitcoin mined", "865", "742"],
    ["Average hashrate (EH/s)", "21.4", "17.9"],
    ["Bitcoin held (end of quarter)", "512", "347"],
]


def _draw_grid_table(pdf: canvas.Canvas, x: float, top: float, rows: list[list[str]]) -> None:
    """A ruled table, the kind pdfplumber finds by its lines."""
    widths, row_height = [190.0, 90.0, 90.0], 18.0
    pdf.setFont("Helvetica", 9)
    for r, row in enumerate(rows):
        y = top - r * row_height
        cx = x
        for c, cell in enumerate(row):
            pdf.rect(cx, y - row_height, widths[c], row_height)
            pdf.drawString(cx + 4, y - 13, cell)
            cx += widths[c]


def _fill_column(
    paragraphs: list[str], width: float, max_lines: int
) -> tuple[list[str], list[str]]:
    lines: list[str] = []
    remaining = list(paragraphs)
    while remaining:
        wrapped = simpleSplit(remaining[0], "Helvetica", 9, width)
        if len(lines) + len(wrapped) + 1 > max_lines:
            break
        lines += [*wrapped, ""]
        remaining.pop(0)
    return lines, remaining


def single_column_letter(path: Path) -> None:
    doc = SimpleDocTemplate(str(path), pagesize=LETTER, title="Core Scientific Quarterly Letter")
    story: list[object] = [
        Paragraph("Core Scientific, Inc. Second Quarter 2025 Shareholder Letter", STYLES["Title"]),
        Paragraph(
            "AUSTIN, Texas, August 7, 2025 - Core Scientific, Inc. (Nasdaq: CORZ) reports results "
            "for the quarter ended June 30, 2025.",
            STYLES["BodyText"],
        ),
        Paragraph(
            "In the second quarter, Core Scientific mined 1,219 bitcoin for its own account, and "
            "sold 1,232 bitcoin for $121.6 million. We ended the quarter with 977 bitcoin held in "
            "treasury.",
            STYLES["BodyText"],
        ),
        Spacer(1, 12),
        _production_table(
            [
                ["Self-mining metrics", "Q2 2025", "Q1 2025"],
                ["Bitcoin mined", "1,219", "1,157"],
                ["Energized self-mining hashrate (EH/s)", "19.1", "19.1"],
            ]
        ),
        Spacer(1, 12),
        Paragraph(
            "Hosting customers mined 2,400 bitcoin at our facilities during the quarter; those "
            "coins belong to our customers.",
            STYLES["BodyText"],
        ),
    ]
    doc.build(story)


if __name__ == "__main__":
    (ROOT / "hive-shareholder-letter-pdf").mkdir(parents=True, exist_ok=True)
    (ROOT / "core-scientific-letter-pdf").mkdir(parents=True, exist_ok=True)
    two_column_letter(ROOT / "hive-shareholder-letter-pdf" / "raw.pdf")
    single_column_letter(ROOT / "core-scientific-letter-pdf" / "raw.pdf")
