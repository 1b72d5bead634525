/*
 * kvers_lookup.c - lookups in the generated first-release data (kvers.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"


#include "arch/kvers.h"
#include "arch/sorted.h"

/* the number entry i of table t stands for */
static uint32_t ent_nr(unsigned int t, size_t i)
{
	return sg_table_nr(t, sg_kver_ents[i].nr);
}

struct nr_key {
	unsigned int t;
	uint32_t nr;
};

static bool ent_below(const void *key, size_t i)
{
	const struct nr_key *k = key;
	return ent_nr(k->t, i) < k->nr;
}

/* index of the first entry of table t whose number is >= nr */
static size_t lower_bound(unsigned int t, uint32_t nr)
{
	struct nr_key key = {t, nr};
	return sg_lower_bound(sg_kver_start[t], sg_kver_start[t + 1], ent_below, &key);
}

unsigned int sg_arch_nr_kver(const struct sg_arch *arch, uint32_t nr)
{
	unsigned int t = arch->table_index;
	size_t i = lower_bound(t, nr);
	if (i < sg_kver_start[t + 1] && ent_nr(t, i) == nr)
		return sg_kver_ents[i].kv;
	return 0;
}

bool sg_arch_nr_in_kver(const struct sg_arch *arch, uint32_t nr, unsigned int kvmax)
{
	unsigned int kv = sg_arch_nr_kver(arch, nr);
	return kv != 0 && kv <= kvmax;
}

uint32_t sg_arch_kver_run(const struct sg_arch *arch, uint32_t nr, unsigned int kvmax,
                          bool *present)
{
	unsigned int t = arch->table_index;
	size_t i = lower_bound(t, nr), end = sg_kver_start[t + 1];

	if (i < end && ent_nr(t, i) == nr && sg_kver_ents[i].kv <= kvmax) {
		uint32_t last = nr;
		*present = true;
		while (i + 1 < end && ent_nr(t, i + 1) == last + 1 &&
		       sg_kver_ents[i + 1].kv <= kvmax) {
			i++;
			last++;
		}
		return last;
	}
	*present = false;
	/* every entry from i on has a number >= nr, and one equal to nr is too new */
	for (; i < end; i++)
		if (sg_kver_ents[i].kv <= kvmax && ent_nr(t, i) > nr)
			return ent_nr(t, i) - 1;
	return UINT32_MAX;
}

const char *sg_kver_name(unsigned int kv)
{
	return kv < SG_KV_COUNT ? sg_kver_names[kv] : NULL;
}
