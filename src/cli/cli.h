/* cli.h — the command line: parsed arguments, and one handler per
 * command.  The command table is in main.c. */
#ifndef FANGYI_CLI_H
#define FANGYI_CLI_H

#include "../db/db.h"

enum { CLI_MAX_POS = 8, CLI_MAX_FLAGS = 8 };

typedef struct Command Command;

typedef struct CliArgs {
    const Command *cmd;
    const char *pos[CLI_MAX_POS];
    int npos;
    const char *flags[CLI_MAX_FLAGS];   /* values, parallel to Command.flags */
} CliArgs;

struct Command {
    const char *name;
    int (*run)(const CliArgs *a);
    const char *flags[CLI_MAX_FLAGS];   /* "town", or "quiet!" for a switch */
    int min_pos, max_pos;
    const char *usage;
    const char *help;
};

/* cli_flag: the value of a flag by name, or NULL.  A switch is "1". */
const char *cli_flag(const CliArgs *a, const char *name);
/* cli_open opens an existing database, migrates it and sets the town's
 * time zone.  Prints the reason and returns -1 on failure. */
int cli_open(const char *path, Db **out);
/* cli_open_unmigrated opens an existing fangyi database (one no newer
 * than this binary) and writes nothing: *pending gets how many
 * migrations it lacks; when none, the town's time zone is set.  Prints the reason and returns -1 on failure. */
int cli_open_unmigrated(const char *path, Db **out, int *pending);
/* cli_fail prints "fangyi: message" and returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_init(const CliArgs *a);
int cmd_demo(const CliArgs *a);
int cmd_serve(const CliArgs *a);
int cmd_user(const CliArgs *a);
int cmd_place(const CliArgs *a);
int cmd_import(const CliArgs *a);
int cmd_export(const CliArgs *a);
int cmd_audit(const CliArgs *a);
int cmd_report(const CliArgs *a);
int cmd_signoff(const CliArgs *a);
int cmd_routes(const CliArgs *a);
int cmd_backup(const CliArgs *a);
int cmd_restore(const CliArgs *a);
int cmd_purge(const CliArgs *a);
int cmd_migrate_data(const CliArgs *a);
int cmd_county(const CliArgs *a);

#endif
