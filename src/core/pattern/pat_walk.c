/* The literal values inside a pattern, with their object type and
 * property path: what the early-warning correlation indexes. */
#include "vigil/util/error.h"

#include "pat_int.h"

int vg_pattern_literals(const struct vg_pattern *p, vg_pattern_literal_fn fn,
                        void *ud)
{
	for (size_t i = 0; i < p->n_cmps; i++) {
		const struct vg__cmp *c = p->cmps[i];
		for (size_t k = 0; k < c->n_lits; k++) {
			const struct vg__lit *l = &c->lits[k];
			struct vg_pattern_literal lit = {
			    .object_type = c->path.type,
			    .path = c->path.text,
			    .op = (enum vg_pattern_op)c->op,
			    .negated = c->negated,
			    .kind = (enum vg_pattern_kind)l->kind,
			    .text = l->text,
			    .len = l->text_len,
			};
			int rc = fn(ud, &lit);
			if (rc)
				return rc;
		}
	}
	return VG_OK;
}
