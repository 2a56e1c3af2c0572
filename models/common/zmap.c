/*
 * models/common/zmap.c - zeroed tables as anonymous mappings (see zmap.h).
 */
#include <sys/mman.h>

#include "models/common/zmap.h"

void *mdl_zmap(size_t bytes)
{
	void *p;

	if (!bytes)
		return NULL;
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void mdl_zunmap(void *p, size_t bytes)
{
	if (p && bytes)
		munmap(p, bytes);
}
