"""The catalog's tunable limits, each with its meaning and unit.

They bound what one uploaded file may cost (a province list has a few thousand rows; the
largest cell Excel can hold is 32,767 characters) and how stale the daemon's cache may be.
"""

#: Rows above the table searched for the header row (title blocks are a handful of lines).
HEADER_SEARCH_ROWS = 30

#: Characters allowed in one text cell (names, reasons, legal bases); longer is an error.
MAX_CELL_CHARS = 4_000

#: Characters allowed in one CSV field before the reader gives up on the line.
MAX_CSV_FIELD_CHARS = 1_000_000

#: Total uncompressed bytes an .xlsx or .docx may expand to, read from the ZIP's central
#: directory before parsing (issue 14 §3: a 1.5 MB upload expanding to 341 MB of XML took
#: 100 s of a worker). A 20,000-row annex expands to about 10 MB.
MAX_XLSX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024

#: How many times its packed size one part above 1 MiB may expand to. Sheet XML packs
#: about 10 to 20 times; a zip bomb packs hundreds of times.
MAX_COMPRESSION_RATIO = 100

#: Rows read from one file (all its sheets or tables); a province lists a few thousand.
MAX_TABLE_ROWS = 200_000

#: Filled cells read from one file (about 15 columns a row).
MAX_FILLED_CELLS = 3_000_000

#: Seconds one file may take to read; a 20,000-row annex takes about 2 s.
MAX_READ_SECONDS = 60.0

#: Problems kept for the report; beyond this only their number is told.
MAX_PROBLEMS = 1_000

#: Bytes read at once when hashing or checking the encoding of a file.
READ_CHUNK_BYTES = 1024 * 1024

#: Seconds the resolver trusts its in-memory index before checking the database for a
#: newly published or withdrawn list (``Resolver.invalidate()`` forces it at once).
RESOLVER_REFRESH_SECONDS = 10.0
