# Read decoy's CSV files into R with every column's type, instants exact to the microsecond.
# Base R only.
#
#   source("analysis/read_decoy.R")
#   ev <- read_decoy_events("events.csv")        # decoy export RUN --table events
#   po <- read_decoy_postings("postings.csv")    # decoy export RUN --table postings
#   iv <- read_decoy_intervals("intervals.csv")  # decoy export RUN --table intervals
#   cv <- read_decoy_curves("curves.csv")        # decoy curves RUN
#   x  <- read_decoy("any-of-them.csv")          # the table is told by its header
#
# Why: R's as.POSIXct("2025-06-02T07:04:00.000000Z") tries formats with a space between date and
# time, then the date alone, which matches: it keeps the date and silently drops the time
# (midnight). And a column whose every value is empty, such as `replicate` of curves pooled over
# replicates, is read as logical NA. Checked with R 4.2.2.
#
# Types: run_id, replicate, seq, contacts, unique_contactors, events, at_risk_postings, event and
# posted_hour are integer; times and estimates are double; `removed` is logical; arm, posting,
# channel, contactor, name, metric and every attr_<name> column are character (`posting` is an
# index for a simulated run and the team's name for an observed one, so it is read as text).
# An empty field is NA; nothing else is (an arm named "NA" stays "NA").
#
# Instants (at, at_local, posted_at, posted_at_local) are POSIXct in UTC whatever offset they
# were written in, each the double nearest to the instant: round(as.numeric(x) * 1e6) gives back
# the microseconds decoy wrote. POSIXct holds seconds as a double, about 0.2 us apart at today's
# dates, so differences of instants are exact only to that: use t_seconds or t_hours for times
# since a posting went live. R prints such instants a microsecond short or without the fraction
# (format(x, "%OS6") truncates the double), so decoy_format(x) writes them as decoy did.
#
# Intervals export: a covariate column (between `arm` and `start`) is double when every value is
# a decimal number, text otherwise.

# Instants from ISO-8601 text, `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM|-HH:MM)`, as POSIXct UTC.
# Empty text and NA give NA; anything else that is not such an instant is an error naming it.
decoy_instant <- function(x) {
  x <- as.character(x)
  out <- rep(NA_real_, length(x))
  given <- !is.na(x) & x != ""
  pattern <- "^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2})(\\.([0-9]{1,6}))?(Z|([+-])([0-9]{2}):([0-9]{2}))$"
  parts <- regmatches(x[given], regexec(pattern, x[given]))
  bad <- lengths(parts) == 0
  if (any(bad)) stop("not an ISO-8601 instant with its UTC offset, such as 2025-06-02T07:04:00.000000Z: \"",
                     x[given][bad][1], "\"", call. = FALSE)
  p <- do.call(rbind, parts)
  if (is.null(p)) return(as.POSIXct(out, origin = "1970-01-01", tz = "UTC"))
  whole <- as.numeric(as.POSIXct(paste(p[, 2], p[, 3]), format = "%Y-%m-%d %H:%M:%S", tz = "UTC"))
  if (anyNA(whole)) stop("not a date and time that exist: \"", x[given][is.na(whole)][1], "\"", call. = FALSE)
  fraction <- ifelse(p[, 5] == "", 0, as.numeric(substr(paste0(p[, 5], "000000"), 1, 6)))
  offset <- ifelse(p[, 6] == "Z", 0,
                   ifelse(p[, 7] == "-", -1, 1) * (as.numeric(p[, 8]) * 3600 + as.numeric(p[, 9]) * 60))
  # Whole microseconds are exact doubles (below 2^53, until the year 2255); one division by 1e6
  # then gives the double nearest to the instant.
  micros <- (whole - offset) * 1e6 + fraction
  out[given] <- micros / 1e6
  as.POSIXct(out, origin = "1970-01-01", tz = "UTC")
}

# Instants as decoy writes them, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, from the nearest microsecond.
decoy_format <- function(x) {
  micros <- round(as.numeric(x) * 1e6)
  whole <- floor(micros / 1e6)
  out <- paste0(format(as.POSIXct(whole, origin = "1970-01-01", tz = "UTC"), "%Y-%m-%dT%H:%M:%S", tz = "UTC"),
                sprintf(".%06.0fZ", micros - whole * 1e6))
  out[is.na(x)] <- NA_character_
  out
}

# The column types of each table; a column not named here is text.
decoy_types <- list(
  events = c(run_id = "integer", replicate = "integer", arm = "character", posting = "character", seq = "integer",
             t_seconds = "numeric", at = "instant", channel = "character", contactor = "character",
             t_hours = "numeric", at_local = "instant"),
  postings = c(run_id = "integer", replicate = "integer", arm = "character", posting = "character", posted_at = "instant",
               observed_hours = "numeric", removed = "logical", contacts = "integer", first_contact_hours = "numeric",
               unique_contactors = "integer", posted_at_local = "instant"),
  intervals = c(posting = "integer", name = "character", replicate = "integer", arm = "character",
                posted_hour = "integer", posted_weekday = "character", start = "numeric", stop = "numeric", event = "integer"),
  curves = c(run_id = "integer", arm = "character", replicate = "integer", metric = "character", t_hours = "numeric",
             estimate = "numeric", lower = "numeric", upper = "numeric", at_risk = "numeric", events = "integer",
             at_risk_postings = "integer", exposure_hours = "numeric"))

# The columns every file of a table has (SPEC §5); the others are read where present, so a file
# from an older decoy reads too.
decoy_required <- list(
  events = c("run_id", "replicate", "arm", "posting", "seq", "t_seconds", "at", "channel", "contactor"),
  postings = c("run_id", "replicate", "arm", "posting", "posted_at", "observed_hours", "removed", "contacts",
               "first_contact_hours", "unique_contactors"),
  intervals = c("posting", "name", "replicate", "arm", "start", "stop", "event"),
  curves = c("run_id", "arm", "replicate", "metric", "t_hours", "estimate", "lower", "upper", "events"))

decoy_header <- function(file) names(utils::read.csv(file, nrows = 1, colClasses = "character", check.names = FALSE))

decoy_read_table <- function(file, table) {
  types <- decoy_types[[table]]
  header <- decoy_header(file)
  missing <- setdiff(decoy_required[[table]], header)
  if (length(missing)) stop(file, " is not a decoy ", table, " file: no column ", paste(missing, collapse = ", "), call. = FALSE)
  known <- header %in% names(types)
  read_as <- ifelse(known, types[header], "character")
  # Instants and logicals are read as text and converted below; covariates of the intervals
  # export are read as text and typed as decoy regress types them.
  classes <- ifelse(read_as %in% c("instant", "logical"), "character", read_as)
  d <- utils::read.csv(file, colClasses = unname(classes), na.strings = "", check.names = FALSE,
                       stringsAsFactors = FALSE, encoding = "UTF-8", comment.char = "")
  for (j in which(read_as == "instant")) d[[j]] <- decoy_instant(d[[j]])
  for (j in which(read_as == "logical")) {
    v <- d[[j]]
    if (any(!is.na(v) & !v %in% c("0", "1"))) stop(file, ": ", header[j], " holds values other than 0 and 1", call. = FALSE)
    d[[j]] <- v == "1"
  }
  if (table == "intervals") {
    # A covariate is a number where every value is a decimal number, as decoy regress reads a
    # postings file's attr_ columns (an arm's attributes are labels to decoy even when they look
    # like numbers: make such a column a factor before fitting).
    for (j in which(!known)) {
      v <- d[[j]]
      if (all(!is.na(v) & grepl("^[-+0-9.eE]+$", v))) {
        n <- suppressWarnings(as.numeric(v))
        if (all(is.finite(n))) d[[j]] <- n
      }
    }
  }
  d
}

read_decoy_events <- function(file) decoy_read_table(file, "events")
read_decoy_postings <- function(file) decoy_read_table(file, "postings")
read_decoy_intervals <- function(file) decoy_read_table(file, "intervals")
read_decoy_curves <- function(file) decoy_read_table(file, "curves")

# Any of the four, told by its header.
read_decoy <- function(file) {
  header <- decoy_header(file)
  table <- if (all(c("metric", "estimate") %in% header)) "curves"
           else if (all(c("seq", "t_seconds") %in% header)) "events"
           else if (all(c("posted_at", "observed_hours") %in% header)) "postings"
           else if (all(c("start", "stop", "event") %in% header)) "intervals"
           else stop(file, " is not a decoy export or curves file (header: ", paste(header, collapse = ","), ")", call. = FALSE)
  decoy_read_table(file, table)
}
