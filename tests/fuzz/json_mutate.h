/* json_mutate.h — a structure-aware mutation for the targets whose input
 * ends with a JSON body (fuzz_http, fuzz_checkin): half the time the body
 * is parsed and one of its values changed as a client could send it (a
 * string of a boundary length in Chinese, an edge number, another type,
 * a key removed), so mutations reach the handlers' field checks instead
 * of dying in the JSON parser; otherwise libFuzzer mutates the bytes. */
#ifndef FANGYI_FUZZ_JSON_MUTATE_H
#define FANGYI_FUZZ_JSON_MUTATE_H

#include <stddef.h>
#include <stdint.h>

/* fuzz_json_mutate mutates data[0..size) in place (at most max bytes) and
 * returns the new size; the JSON body starts at data[body] (0 for a body
 * alone, after the request line for fuzz_http). */
size_t fuzz_json_mutate(uint8_t *data, size_t size, size_t max, size_t body,
                        unsigned seed);

/* libFuzzer's own mutation (for the byte-level half). */
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);

#endif
