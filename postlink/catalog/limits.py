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

#: Total uncompressed bytes an .xlsx may expand to (guards against zip bombs), in bytes.
MAX_XLSX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024

#: Problems kept for the report; beyond this only their number is told.
MAX_PROBLEMS = 1_000

#: Bytes read at once when hashing or checking the encoding of a file.
READ_CHUNK_BYTES = 1024 * 1024

#: Seconds the resolver trusts its in-memory index before checking the database for a
#: newly published or withdrawn list (``Resolver.invalidate()`` forces it at once).
RESOLVER_REFRESH_SECONDS = 10.0
