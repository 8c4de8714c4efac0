/* arena.h — a region allocator: many small allocations, one free.
 *
 * Each HTTP request owns an Arena that is freed when the request completes,
 * so handlers never free what they allocate from it.  Allocation failure
 * aborts. */
#ifndef FANGYI_ARENA_H
#define FANGYI_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct Arena {
    ArenaChunk *head;
} Arena;

#define ARENA_INIT {NULL}

/* arena_alloc returns n zeroed bytes aligned for any type. */
void *arena_alloc(Arena *a, size_t n);
/* arena_strdup / arena_strndup copy a string into the arena (NULL → NULL). */
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
/* arena_printf formats into a new arena string. */
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void arena_free(Arena *a);

#endif
