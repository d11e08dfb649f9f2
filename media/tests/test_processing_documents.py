import pytest

from media.processing import Limits, process
from media.tests import corpus


class TestProcessDocument:
    @pytest.mark.parametrize(
        ("make", "name", "content_type"),
        [
            (
                corpus.docx,
                "document.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
            (corpus.opendocument, "document.odt", "application/vnd.oasis.opendocument.text"),
            (corpus.ole_doc, "document.doc", "application/msword"),
            (corpus.plain_text, "document.txt", "text/plain; charset=utf-8"),
        ],
    )
    def test_it_keeps_the_bytes_under_the_sniffed_type(self, tmp_path, make, name, content_type):
        src = make(tmp_path)
        out = tmp_path / "out"
        out.mkdir()
        processed = process(src, out, limits=Limits())
        assert (processed.kind, processed.width, processed.height, processed.duration) == (
            "document",
            None,
            None,
            None,
        )
        [document] = processed.renditions
        assert (document.name, document.content_type, document.size) == (
            name,
            content_type,
            src.stat().st_size,
        )
        assert document.path.read_bytes() == src.read_bytes()
        assert document.path.parent == out
