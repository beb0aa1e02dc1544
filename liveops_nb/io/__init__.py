"""Reading: a folder of Parquet/CSV files or an existing Ibis connection, into :class:`RawTables`."""
from .folder import find_files, from_connection, read_folder
from .numbers import MISSING_TOKENS, parse_number
from .tables import RawTables

__all__ = ["MISSING_TOKENS", "RawTables", "find_files", "from_connection", "parse_number", "read_folder"]
