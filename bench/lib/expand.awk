# Expands "-- @include NAME [VAR1 VAR2 ...]" in a pgbench script into the statement kept in QUERIES/NAME.sql,
# read the way the service reads it (comment lines dropped), so the mirror cannot drift from the service's
# SQL. Positional parameters $1, $2, ... of the statement become the pgbench variables :VAR1, :VAR2, ...
/^-- @include / {
  file = queries "/" $3 ".sql"
  text = ""
  while ((getline line < file) > 0) {
    if (line !~ /^--/) text = text (text == "" ? "" : "\n") line
  }
  close(file)
  if (text == "") { print "missing statement " file > "/dev/stderr"; exit 1 }
  for (i = NF; i >= 4; i--) gsub("\\$" (i - 3), ":" $i, text)
  sub(/[ \t\n]+$/, "", text)
  print text ";"
  next
}
{ print }
