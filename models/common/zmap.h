/*
 * models/common/zmap.h - zeroed tables whose untouched pages cost no memory.
 *
 * A run of a thousand devices holds a thousand sync managers and register files, of
 * which it writes a few entries each. calloc() gives no such guarantee: glibc serves
 * blocks below its (moving) mmap threshold from the heap and clears them, which makes
 * every page resident. These tables are anonymous mappings instead: a page takes memory
 * when it is first written; reading an untouched one reads zeros.
 */
#ifndef HLSIM_MODELS_COMMON_ZMAP_H
#define HLSIM_MODELS_COMMON_ZMAP_H

#include <stddef.h>

/** mdl_zmap - @bytes (> 0) of zeroed memory, page aligned; NULL if it cannot be mapped. */
void *mdl_zmap(size_t bytes);

/** mdl_zunmap - release what mdl_zmap(@bytes) returned (NULL is allowed). */
void mdl_zunmap(void *p, size_t bytes);

#endif /* HLSIM_MODELS_COMMON_ZMAP_H */
