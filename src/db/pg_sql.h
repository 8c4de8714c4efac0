/* pg_sql.h — the text work of the PostgreSQL backend, kept apart so the
 * unit tests can reach it: portable ?N parameters to PostgreSQL's $N, and
 * reals written the way SQLite writes them. */
#ifndef FANGYI_PG_SQL_H
#define FANGYI_PG_SQL_H

#include <stddef.h>

/* pg_sql_rewrite copies sql into a new string (*out, free it) with every
 * ?N parameter written $N and a bare ? numbered after the largest before
 * it (as SQLite numbers it).  Quoted strings, quoted names and comments
 * are copied as they are.  Returns the largest parameter number (0: none). */
int pg_sql_rewrite(const char *sql, char **out);

/* pg_sql_real_text writes v as SQLite's text of a REAL: 15 significant
 * digits and always a decimal point (37.0, 36.6, 1.0e+20). */
void pg_sql_real_text(double v, char *out, size_t n);

#endif
