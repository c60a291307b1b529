#!/usr/bin/env python3
"""Writes an Orchard recipe with N published News items (half Polish, half English, paired as
translations) for the API benchmarks. usage: generate-items.py N OUT.json"""
import json, sys, hashlib
n, out = int(sys.argv[1]), sys.argv[2]
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
        "HtmlBodyPart": {"Html": "<p>" + ("Body text of a generated news item. " * 12) + "</p>"},
    })
json.dump({"name": "BenchItems", "steps": [{"name": "content", "data": items}]}, open(out, "w"), ensure_ascii=False)
