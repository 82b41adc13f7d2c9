# Cuts wiki-sample.txt from a WikiExtractor dump (see README.md in this folder):
#   awk -f cut-wiki-sample.awk enwiki_wikiextractor_AA.txt > wiki-sample.txt
# After every 240th document, takes the first paragraph of 200-700 bytes of the next document
# that has one, skipping paragraphs with markup left over by WikiExtractor (empty parentheses,
# dangling " ." where a unit template was dropped, HTML entities, double spaces), and writes it as
# "Title: paragraph" on one line (trailing blanks removed).
/^<doc / {
    docs++
    if (docs % 240 == 0) want = 1
    match($0, /title="[^"]*"/)
    title = substr($0, RSTART + 7, RLENGTH - 8)
    gsub(/&quot;/, "\"", title); gsub(/&#039;/, "'", title); gsub(/&amp;/, "\\&", title)
    first = 1   # the next line repeats the title
    next
}
/^<\/doc>/ { next }
{ sub(/[ \t\r]+$/, "") }
want && !first && length($0) >= 200 && length($0) <= 700 && $0 !~ /\(\)|\( *[;,]| [.,;]|&[a-z#0-9]+;|  / {
    print title ": " $0
    want = 0
}
{ first = 0 }
