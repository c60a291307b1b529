#!/usr/bin/env python3
"""Writes an Orchard recipe with N published News items (half Polish, half English, paired as
translations) for the API benchmarks. usage: generate-items.py N OUT.json [--varied]
--varied: bodies of ~120 words drawn from a Polish or English vocabulary with its inflected forms (the search benchmark:
many distinct words, as real news has), instead of one repeated sentence."""
import json, sys, hashlib, random
n, out = int(sys.argv[1]), sys.argv[2]
varied = "--varied" in sys.argv[3:]
rng = random.Random(42)
PL = ("paszport paszportu paszportem paszporty wiza wizy wizę wizą konsulat konsulatu konsulatem konsulacie ambasada ambasady ambasadzie "
      "obywatel obywatela obywatelstwo obywatelstwa wniosek wniosku wnioski wizyta wizyty wizytę dokument dokumentu dokumenty dziecko dziecka "
      "urodzenie urodzenia podróż podróży podróżować żołnierz żołnierza żołnierzy weteran weteranów stypendium stypendia student studenci "
      "ubezpieczenie ubezpieczenia zdrowie lekarz szpital policja kradzież zgłoszenie rejestracja program spotkanie rozmowa opłata opłaty "
      "formularz zdjęcie termin terminy kolejka godziny otwarcia Warszawa Kraków Polska Stany Zjednoczone wybory głosowanie karta "
      "i w z na do dla o po jak jest są być może trzeba należy przed po także oraz").split()
EN = ("passport passports visa visas consulate consulates embassy embassies citizen citizens citizenship application applications "
      "appointment appointments document documents child children birth births travel traveling traveler soldier soldiers veteran "
      "veterans scholarship scholarships student students insurance health doctor hospital police theft report registration program "
      "meeting interview fee fees form photo deadline deadlines queue hours opening Warsaw Krakow Poland United States election voting "
      "ballot ballots and in with on to for about after how is are be may must should before also").split()

def body(lang):
    words = PL if lang == "pl" else EN
    return " ".join(rng.choice(words) for _ in range(120)).capitalize() + "."
A = "0123456789abcdefghjkmnpqrstvwxyz"
def oid(seed):
    bits = bin(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:16], "big"))[2:].zfill(128) + "00"
    return "".join(A[int(bits[i:i + 5], 2)] for i in range(0, 130, 5))
items = []
for i in range(n):
    pair, culture = divmod(i, 2)
    lang = "pl" if culture == 0 else "en"
    title = f"{'Wiadomość' if lang == 'pl' else 'News item'} {pair:05d}"
    items.append({
        "ContentItemId": oid(f"bench:{i}"), "ContentType": "News", "DisplayText": title, "Latest": True, "Published": True,
        "PublishedUtc": f"2026-{1 + pair % 12:02d}-{1 + pair % 28:02d}T{pair % 24:02d}:{pair % 60:02d}:00Z",
        "TitlePart": {"Title": title},
        "LocalizationPart": {"Culture": lang, "LocalizationSet": oid(f"bench-set:{pair}")},
        "AutoroutePart": {"Path": f"bench/{lang}/{pair:05d}"},
        "News": {"Summary": {"Text": f"Summary of item {pair} in {lang}: " + "lorem ipsum dolor sit amet " * 3},
                 "Category": {"Text": "news"}, "Image": {"Paths": [f"news/{pair:05d}.jpg"], "MediaTexts": [""]}},
        "HtmlBodyPart": {"Html": "<p>" + (body(lang) if varied else "Body text of a generated news item. " * 12) + "</p>"},
    })
json.dump({"name": "BenchItems", "steps": [{"name": "content", "data": items}]}, open(out, "w"), ensure_ascii=False)
