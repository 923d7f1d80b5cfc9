# Load every table of the data package in R with readr, using the column types declared in
# datapackage.json. Usage: Rscript examples/load_package.R [path/to/datapackage.json] [out_dir]
# With out_dir, each table's row count and the code-point length of every text cell are written there
# (the test suite uses this to check that text survives the trip into R unchanged).
suppressPackageStartupMessages({
  library(readr)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
descriptor_path <- if (length(args) >= 1) args[[1]] else "datapackage.json"
out_dir <- if (length(args) >= 2) args[[2]] else NA
package <- fromJSON(descriptor_path, simplifyVector = FALSE)
base <- dirname(descriptor_path)

readr_type <- function(type) {
  switch(type,
    string = col_character(),
    integer = col_integer(),
    number = col_double(),
    boolean = col_logical(),
    date = col_date(format = "%Y-%m-%d"),
    col_character()
  )
}

load_table <- function(resource) {
  types <- lapply(resource$schema$fields, function(f) readr_type(f$type))
  names(types) <- vapply(resource$schema$fields, function(f) f$name, "")
  read_csv(file.path(base, resource$path), col_types = do.call(cols, types), na = "",
           locale = locale(encoding = "UTF-8"), progress = FALSE)
}

tables <- list()
for (resource in package$resources) {
  if (identical(resource$format, "csv")) {
    tables[[resource$name]] <- load_table(resource)
  }
}

for (name in names(tables)) {
  table <- tables[[name]]
  cat(sprintf("%-22s %6d rows %3d columns\n", name, nrow(table), ncol(table)))
  if (!is.na(out_dir)) {
    text_columns <- names(table)[vapply(table, is.character, TRUE)]
    lengths <- lapply(text_columns, function(col) I(nchar(table[[col]], type = "chars")))
    names(lengths) <- text_columns
    write_json(list(rows = nrow(table), text_lengths = lengths), file.path(out_dir, paste0(name, ".json")),
               auto_unbox = TRUE, na = "null")
  }
}
