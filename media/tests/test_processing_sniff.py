import pytest
from django.test import override_settings
from django.utils import translation

from media.processing import Limits, Rejected, Sniffed, process, sniff
from media.processing.base import rejection, too_long
from media.tests import corpus

REFUSED = {
    name: item for name, item in corpus.SAMPLES.items() if item[1] not in ("photo", "video", "document")
}
ACCEPTED = {name: item for name, item in corpus.SAMPLES.items() if name not in REFUSED}


class TestSniff:
    @pytest.mark.parametrize("name", sorted(ACCEPTED))
    def test_it_names_the_kind_of_an_accepted_file(self, tmp_path, name):
        make, kind = ACCEPTED[name]
        assert sniff(make(tmp_path), limits=Limits()).kind == kind

    @pytest.mark.parametrize("name", sorted(REFUSED))
    def test_it_refuses_with_a_stable_code_and_a_dutch_message(self, tmp_path, name):
        make, code = REFUSED[name]
        path = make(tmp_path)
        (tmp_path / "out").mkdir()
        with pytest.raises(Rejected) as caught:
            process(path, tmp_path / "out", limits=Limits())  # sniffs first; decoding finds the damage
        assert caught.value.code == code
        with translation.override("nl"):
            dutch = str(caught.value.message)
        with translation.override("en"):
            english = str(caught.value.message)
        assert dutch and english and dutch != english

    @pytest.mark.parametrize(
        ("make", "expected"),
        [
            (corpus.jpeg_html_polyglot, Sniffed("photo", "image/jpeg", "jpg")),
            (corpus.png_named_pdf, Sniffed("photo", "image/png", "png")),
            (corpus.heic_from_phone, Sniffed("photo", "image/heic", "heic")),
            (corpus.gif_animated, Sniffed("photo", "image/gif", "gif")),
            (corpus.webp_photo, Sniffed("photo", "image/webp", "webp")),
            (corpus.mp4_with_location, Sniffed("video", "video/mp4", "mp4")),
            (corpus.webm, Sniffed("video", "video/webm", "webm")),
            (corpus.pdf, Sniffed("document", "application/pdf", "pdf")),
            (
                corpus.docx,
                Sniffed(
                    "document",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "docx",
                ),
            ),
            (corpus.opendocument, Sniffed("document", "application/vnd.oasis.opendocument.text", "odt")),
            (corpus.ole_doc, Sniffed("document", "application/msword", "doc")),
            (corpus.plain_text, Sniffed("document", "text/plain", "txt")),
        ],
    )
    def test_it_decides_by_content_not_by_name(self, tmp_path, make, expected):
        assert sniff(make(tmp_path), limits=Limits()) == expected

    def test_it_sniffs_a_quicktime_movie(self, tmp_path):
        assert sniff(corpus.mov_hevc(tmp_path), limits=Limits()) == Sniffed("video", "video/quicktime", "mov")

    @pytest.mark.parametrize("extension", ["xlsx", "pptx"])
    def test_it_recognises_excel_and_powerpoint(self, tmp_path, extension):
        assert sniff(corpus.ooxml(tmp_path, extension), limits=Limits()).extension == extension

    def test_it_refuses_a_zip_dressed_up_as_a_word_document(self, tmp_path):
        path = corpus.zip_archive(tmp_path).rename(tmp_path / "brief.docx")
        with pytest.raises(Rejected) as caught:
            sniff(path, limits=Limits())
        assert caught.value.code == "unsupported_type"
        assert "ZIP" in str(caught.value.message)

    def test_it_refuses_a_document_over_the_byte_limit(self, tmp_path):
        with pytest.raises(Rejected) as caught:
            sniff(corpus.pdf(tmp_path), limits=Limits(document_bytes=100))
        assert caught.value.code == "too_large"
        with translation.override("en"):
            assert str(caught.value.message) == "The document is larger than 0 MB."

    def test_it_refuses_a_large_text_file_before_reading_it(self, tmp_path):
        path = tmp_path / "big.txt"
        path.write_text("a" * 2000)
        with pytest.raises(Rejected) as caught:
            sniff(path, limits=Limits(document_bytes=1000))
        assert caught.value.code == "too_large"


class TestLimits:
    def test_it_has_the_documented_defaults(self):
        limits = Limits()
        assert (limits.photo_bytes, limits.photo_pixels) == (30 * 1024 * 1024, 100_000_000)
        assert (limits.video_bytes, limits.video_seconds) == (500 * 1024 * 1024, 600)
        assert limits.document_bytes == 25 * 1024 * 1024

    @override_settings(MEDIA_LIMITS={"video_seconds": 30, "files_per_post": 50})
    def test_it_reads_the_settings_and_ignores_keys_it_does_not_know(self):
        assert Limits.from_settings() == Limits(video_seconds=30)

    @override_settings(MEDIA_LIMITS=None)
    def test_it_falls_back_to_the_defaults(self):
        assert Limits.from_settings() == Limits()


class TestRejection:
    def test_it_rebuilds_the_message_for_a_stored_code(self):
        rebuilt = rejection("too_long", "video", Limits())
        with translation.override("en"):
            assert (rebuilt.code, str(rebuilt.message)) == (
                "too_long",
                "The video is longer than 10 minutes.",
            )
        with translation.override("nl"):
            assert str(too_long(Limits())) != "The video is longer than 10 minutes."

    def test_it_knows_every_code_the_corpus_produces(self):
        for _make, outcome in REFUSED.values():
            assert rejection(outcome, "photo", Limits()) is not None, outcome
        assert rejection("no_such_code", "photo", Limits()) is None
