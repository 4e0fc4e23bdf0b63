"""Pinyin initials of a name, for search ("jfb" finds 解放碑…).

The same dictionaries and phrase segmentation as pypinyin's lazy_pinyin(FIRST_LETTER), read
directly: lazy_pinyin's per-syllable style conversion cost more than the rest of an imported
row's derived fields together. tests/places/test_pinyin.py checks both agree.
"""

from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
from pypinyin.seg.mmseg import seg

# A reading may start with a toned vowel (ān, ǒu): its initial is the plain letter.
_PLAIN = str.maketrans("āáǎàēéěèōóǒòīíǐìūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeooooiiiiuuuuvvvvvnnnm")


def initials(text: str) -> str:
    """Lower-case first letters of each Chinese character's reading; other characters dropped."""
    letters = []
    for word in seg.cut(text):
        phrase = PHRASES_DICT.get(word)
        if phrase and len(phrase) == len(word):
            letters.extend(syllables[0][0] for syllables in phrase)
            continue
        for char in word:
            reading = PINYIN_DICT.get(ord(char))
            if reading:
                letters.append(reading[0])
    return "".join(letters).translate(_PLAIN).lower()
