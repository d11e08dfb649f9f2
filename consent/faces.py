"""Find faces with dlib's HOG detector (its model is built into dlib), and blur boxes out of an image.

Pure functions, no models. Boxes are (left, top, width, height) in fractions of the image size, so one
box fits every rendition. `make bench` (bench/faces.py) compares this detector with OpenCV's Haar cascade,
used before: on its synthetic set of pasted faces, HOG with one upsampling finds about 67 % of the
faces against the cascade's 61 %, with no false positives against 11, in about 0.25 s per 1024-px
photo on one core. dlib's CNN detector finds more still but takes about 5 s per photo, over the budget.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyvips

# Detection runs on a copy at most this long on its long edge: the time no longer depends on the
# camera, and sensor noise and upscaling artefacts stop looking like faces.
DETECT_EDGE = 1024
# The detector looks at the copy enlarged this many times (each doubling the size): once brings faces
# of about 40 px within reach (80 px without), at about four times the cost.
UPSAMPLE = 1
# Weak hits are dropped: dlib's threshold raised by this much. In the astronaut photo the folds of the
# spacesuit score up to 0.19 depending on how the rendition was encoded, her face above 1; a false face
# costs the teacher a needless check before the photo is shown. The price: a face that only scores
# weakly is missed, like hers squashed to 4:3 in the consent bench (0.13). On the bench set this keeps
# 60 of the 65 faces dlib finds at 0 (it found no false ones there).
THRESHOLD = 0.2
# Blurred boxes grow by this fraction on each side, so hair and ears go too.
MARGIN = 0.2


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float


@cache
def _detector():
    import dlib

    return dlib.get_frontal_face_detector()


def find_faces(image: pyvips.Image) -> list[Box]:
    """The faces (frontal, turned up to about 45 degrees, slightly tilted) in an image, largest first."""
    scale = min(1.0, DETECT_EDGE / max(image.width, image.height))
    small = image.resize(scale) if scale < 1 else image
    small = small.colourspace("srgb").cast("uchar")
    rgb = small[0:3] if small.bands >= 3 else small[0].bandjoin([small[0], small[0]])
    pixels = np.ndarray(buffer=rgb.write_to_memory(), dtype=np.uint8, shape=(rgb.height, rgb.width, 3))
    width, height = rgb.width, rgb.height
    boxes = []
    found_boxes, _scores, _filters = _detector().run(pixels, UPSAMPLE, THRESHOLD)
    for found in found_boxes:
        left, top = max(0, found.left()), max(0, found.top())
        right, bottom = min(width, found.right() + 1), min(height, found.bottom() + 1)
        if right > left and bottom > top:
            boxes.append(Box(left / width, top / height, (right - left) / width, (bottom - top) / height))
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
