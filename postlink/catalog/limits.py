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

#: Rows read from one file (all its sheets or tables, the empty rows between included); a
#: province lists a few thousand, the benchmark annex has 20,000.
MAX_TABLE_ROWS = 30_000

#: Cells read from one file, empty or filled, as the file lays them out: a row counts up to
#: its last filled cell (one cell in Excel's last column, XFD, makes 16,384), a CSV line
#: every field, a Word row every grid column its cells span. The 20,000-row annex has
#: about 100,000.
MAX_CELLS = 500_000

#: The last column a filled cell may be in: a list has about fifteen, and every column of
#: a row is read while looking for the header (Excel 2003 stopped at 256, column IV).
MAX_COLUMNS = 256

#: XML elements parsed from one .xlsx or .docx, every part read (sheets, shared strings,
#: styles, the document): each costs the parser a call whatever it holds, so millions of
#: empty styled cells or unused strings are refused by their number. The 20,000-row
#: annex has about 300,000.
MAX_XML_ELEMENTS = 1_000_000

#: Tables read from one file (a workbook's sheets, a Word document's tables); a decision
#: has one or two lists.
MAX_TABLES = 100

#: Seconds one file may take to read, checked after every row and every 64 KiB of XML; the
#: 20,000-row annex takes about 2 s.
MAX_READ_SECONDS = 30.0

#: Problems kept for the report; beyond this only their number is told.
MAX_PROBLEMS = 1_000

#: Bytes read at once when hashing or checking the encoding of a file.
READ_CHUNK_BYTES = 1024 * 1024

#: Seconds the resolver trusts its in-memory index before checking the database for a
#: newly published or withdrawn list (``Resolver.invalidate()`` forces it at once).
RESOLVER_REFRESH_SECONDS = 10.0
