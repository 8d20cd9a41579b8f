"""Make a PDF that reportlab wrote tagged and PDF/A-2b: the structure tree the layout recorded
(:class:`~guard.export.pdf_layout.Node`: headings, paragraphs, tables, list items, links), the
document's language, XMP metadata declaring PDF/A-2 level B, and an sRGB output intent. Done
with pikepdf (qpdf) on the finished file, since reportlab writes neither.

What PDF/A-2b needs and where it comes from: every font embedded (the layout's fonts, see
:mod:`guard.export.pdf_fonts`; without a Unicode font on the system the file is tagged but not
claimed as PDF/A), an output intent (here), XMP metadata matching the document information
(here), link annotations printable (``/F 4``, here), no encryption or JavaScript (none written).
The result is checked in the tests with pikepdf, pdffonts and pdftotext; no full PDF/A
validator (veraPDF) runs on this machine.
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import lru_cache
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from guard.export.pdf_layout import Node

SRGB = "sRGB IEC61966-2.1"


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile, made by Little CMS through Pillow (no file to ship)."""
    from PIL import ImageCms

    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def finish(data: bytes, root: Node, *, title: str, language: str, pdfa: bool, created: datetime,
           author: str | None = None, subject: str | None = None) -> bytes:
    """``data`` (a PDF from the layout) with its structure tree and, when ``pdfa``, PDF/A-2b
    metadata and output intent."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _structure(pdf, root)
        catalog = pdf.Root
        catalog.Lang = String(language)
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        if pdfa:
            stream = pikepdf.Stream(pdf, srgb_profile())
            stream.N = 3
            catalog.OutputIntents = Array([Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFA1,
                                                      OutputConditionIdentifier=String(SRGB), Info=String(SRGB),
                                                      DestOutputProfile=stream)])
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["dc:language"] = [language]
            if author:
                meta["dc:creator"] = [author]
            if subject:
                meta["dc:description"] = subject
            meta["xmp:CreateDate"] = created.isoformat()
            meta["xmp:ModifyDate"] = created.isoformat()
            meta["pdf:Producer"] = str(pdf.docinfo.get("/Producer", "ReportLab"))
            if pdfa:
                meta["pdfaid:part"] = "2"
                meta["pdfaid:conformance"] = "B"
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, min_version="1.7")  # PDF/A-2 is based on PDF 1.7
        return out.getvalue()


def _structure(pdf: pikepdf.Pdf, root: Node) -> None:
    pages = [page.obj for page in pdf.pages]
    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    parents: dict[int, dict[int, pikepdf.Object]] = {}  # page -> MCID -> struct element
    links: list[tuple[pikepdf.Object, pikepdf.Object]] = []  # (annotation, Link element)
    annotations: dict[int, list[pikepdf.Object]] = {}

    def link_annotation(page: int, index: int) -> pikepdf.Object:
        if page not in annotations:
            annotations[page] = [a for a in pages[page].get("/Annots", Array()) if a.get("/Subtype") == Name.Link]
        return annotations[page][index]

    def element(node: Node, parent: pikepdf.Object) -> pikepdf.Object:
        if len(node.content) == 1 and not node.links and not node.children and not node.alt:
            page, mcid = node.content[0]  # the commonest element: one marked-content sequence
            made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent,
                                                Pg=pages[page], K=mcid))
            parents.setdefault(page, {})[mcid] = made
            return made
        made = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
        kids = Array()
        for page, mcid in node.content:
            kids.append(Dictionary(Type=Name.MCR, Pg=pages[page], MCID=mcid))
            parents.setdefault(page, {})[mcid] = made
        for page, index in node.links:
            annotation = link_annotation(page, index)
            kids.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=pages[page]))
            links.append((annotation, made))
        for child in node.children:
            kids.append(element(child, made))
        if node.alt:
            made.Alt = String(node.alt)
        made.K = kids
        return made

    tree_root.K = element(root, tree_root)
    nums: list[Any] = []  # one Python list, made an Array once: extending an Array copies it
    for page, by_mcid in sorted(parents.items()):
        pages[page].StructParents = page
        nums += [page, Array([by_mcid[m] for m in range(len(by_mcid))])]
    key = len(pages)
    for annotation, made in links:
        annotation.StructParent = key
        annotation.F = 4  # printable, as PDF/A needs
        annotation.Contents = String(str(made.get("/Alt", "")))
        nums += [key, made]
        key += 1
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    tree_root.ParentTreeNextKey = key
    pdf.Root.StructTreeRoot = tree_root
