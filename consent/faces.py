"""Find faces with OpenCV's bundled Haar cascade, and blur boxes out of an image. Pure functions, no models.

Boxes are (left, top, width, height) in fractions of the image size, so one box fits every rendition.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyvips

# Detection runs on a copy at most this long on its long edge: faces in school photos stay above the
# cascade's 24 px minimum, the time no longer depends on the camera, and sensor noise and upscaling
# artefacts stop looking like faces.
DETECT_EDGE = 1024
# Overlapping hits a face needs; 8 (not OpenCV's 3) keeps textures (jackets, flags) from counting.
MIN_NEIGHBOURS = 8
# Blurred boxes grow by this fraction on each side, so hair and ears go too.
MARGIN = 0.2


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


@cache
def _cascade():
    import cv2

    cv2.setNumThreads(1)
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    if classifier.empty():
        raise RuntimeError("the bundled OpenCV face cascade could not be loaded")
    return classifier


def find_faces(image: pyvips.Image) -> list[Box]:
    """The frontal faces in an sRGB image, largest first."""
    import cv2

    scale = min(1.0, DETECT_EDGE / max(image.width, image.height))
    small = image.resize(scale) if scale < 1 else image
    grey = small.colourspace("b-w")[0] if small.bands > 1 else small
    pixels = np.ndarray(
        buffer=grey.cast("uchar").write_to_memory(), dtype=np.uint8, shape=(grey.height, grey.width)
    )
    pixels = cv2.equalizeHist(pixels)
    found = _cascade().detectMultiScale(
        pixels, scaleFactor=1.1, minNeighbors=MIN_NEIGHBOURS, minSize=(24, 24)
    )
    boxes = [
        Box(float(x / grey.width), float(y / grey.height), float(w / grey.width), float(h / grey.height))
        for x, y, w, h in (found if len(found) else [])
    ]
    return sorted(boxes, key=lambda box: -box.width * box.height)


def pixel_rect(box: Box, width: int, height: int, *, margin: float = MARGIN) -> tuple[int, int, int, int]:
    """The box in pixels of an image this size, grown by `margin`, clipped to the image."""
    grow_x, grow_y = box.width * margin, box.height * margin
    left = max(0, int((box.left - grow_x) * width))
    top = max(0, int((box.top - grow_y) * height))
    right = min(width, int(round((box.left + box.width + grow_x) * width)) + 1)
    bottom = min(height, int(round((box.top + box.height + grow_y) * height)) + 1)
    return left, top, max(1, right - left), max(1, bottom - top)


def blur_boxes(image: pyvips.Image, boxes: list[Box]) -> pyvips.Image:
    """The image with each box pixelated into about 6 blocks across, then smoothed: nothing recognisable."""
    for box in boxes:
        left, top, width, height = pixel_rect(box, image.width, image.height)
        region = image.crop(left, top, width, height)
        block = max(2, max(width, height) // 6)
        coarse = region.resize(1 / block, kernel="linear")
        blocks = coarse.resize(width / coarse.width, vscale=height / coarse.height, kernel="nearest")
        blocks = blocks.crop(0, 0, min(width, blocks.width), min(height, blocks.height))
        if blocks.width < width or blocks.height < height:
            blocks = blocks.embed(0, 0, width, height, extend="copy")
        smooth = blocks.gaussblur(max(1.0, block / 2)).cast(image.format)
        image = image.insert(smooth, left, top)
    return image.copy_memory()
