/* ledger_cmd.h — `fangyi import` and `fangyi export` for the ledgers
 * (supplies, disinfection, visitors, inspections, enterprises); called
 * from import_cmd.c and export_cmd.c when KIND is one of those. */
#ifndef FANGYI_LEDGER_CMD_H
#define FANGYI_LEDGER_CMD_H

#include "cli.h"

/* ledger_cmd_is_kind: KIND names a ledger. */
int ledger_cmd_is_kind(const char *kind);
/* import DB KIND FILE.csv: all or nothing; bad rows listed as
 * "row R, COLUMN: reason".  Returns the exit status. */
int ledger_cmd_import(const char *path, const char *kind, const char *file);
/* export DB KIND [--format csv|xlsx] [--out FILE] [--village NAME]
 * [--from D] [--to D] [--full]: returns the exit status. */
int ledger_cmd_export(const CliArgs *a);

#endif
