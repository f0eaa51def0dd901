/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the calls touch (--objects): for a call whose first argument is a
 * file descriptor, sys_enter resolves it to the open file's (device, inode)
 * while the descriptor is still valid (close's is gone by its return), and
 * sys_exit adds the call to that object's figures for the process. The
 * first use of an object by a process sends its name (path components read
 * from the dentries up through the mounts, a socket's family and peer, an
 * anonymous file's name), so files closed or deleted before the report keep
 * the name they had, and descriptors inherited from a parent are named at
 * their first use like any other.
 */
#ifndef OSIPROF_OBJECTS_BPF_H
#define OSIPROF_OBJECTS_BPF_H

#include <bpf/bpf_endian.h>
#include "helpers.bpf.h"

#define OBJ_AF_UNIX	1
#define OBJ_AF_INET	2
#define OBJ_WALK_STEPS	24	/* path components and mount crossings */

/* Components from the file up to the root, crossing mount points, into
 * comps (innermost first); their number in *ncomps. */
static __always_inline void name_path(char (*comps)[OSP_OBJ_COMPONENT_MAX], __u32 *ncomps, struct file *f)
{
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry), *up;
	struct vfsmount *vm = BPF_CORE_READ(f, f_path.mnt);
	struct mount *m = (void *)vm - bpf_core_field_offset(struct mount, mnt), *pm;
	__u32 n = 0;
	int i;

	for (i = 0; i < OBJ_WALK_STEPS; i++) {
		if (d == BPF_CORE_READ(m, mnt.mnt_root)) {
			pm = BPF_CORE_READ(m, mnt_parent);
			if (pm == m)
				break;		/* the root of the namespace */
			d = BPF_CORE_READ(m, mnt_mountpoint);
			m = pm;
			continue;
		}
		up = BPF_CORE_READ(d, d_parent);
		if (up == d || n >= OSP_OBJ_COMPONENTS)
			break;
		bpf_probe_read_kernel_str(comps[n], OSP_OBJ_COMPONENT_MAX, BPF_CORE_READ(d, d_name.name));
		n++;
		d = up;
	}
	*ncomps = n;
}

static __always_inline void name_socket(struct osp_ev_object *e, struct file *f)
{
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	struct unix_sock *u = (void *)sk, *peer;
	struct unix_address *addr;

	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sotype = BPF_CORE_READ(sk, sk_type);
	if (e->family == OBJ_AF_INET) {
		e->peer_addr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		if (!e->peer_addr)	/* not connected: its own address */
			e->peer_addr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		e->peer_port = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		e->local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	} else if (e->family == OBJ_AF_UNIX) {
		/* A connected socket names its peer's path; a bound one its own. */
		peer = (void *)BPF_CORE_READ(u, peer);
		addr = peer ? BPF_CORE_READ(peer, addr) : NULL;
		if (!addr)
			addr = BPF_CORE_READ(u, addr);
		if (addr) {
			bpf_probe_read_kernel_str(e->components[0], 2 * OSP_OBJ_COMPONENT_MAX,
						  (void *)addr + bpf_core_field_offset(struct unix_address, name) +
						  __builtin_offsetof(struct sockaddr_un, sun_path));
			e->ncomponents = 1;
		}
	}
}

/* A global function: the verifier checks it once, not at every call site
 * (its loops inlined into sys_enter and sys_exit were too much). Scalars
 * only: the file is a kernel address read with probes. */
__noinline int emit_object(__u32 tgid, __u32 dev, __u64 ino, __u64 file)
{
	struct osp_ev_object *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	struct file *f = (struct file *)file;
	__u32 type = BPF_CORE_READ(f, f_inode, i_mode) & OSP_S_IFMT;

	if (!e) {
		count_drop(OSP_DROP_RINGBUF);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->type = OSP_EV_OBJECT;
	e->key.tgid = tgid;
	e->key.dev = dev;
	e->key.ino = ino;
	e->kind = type == OSP_S_IFREG || type == OSP_S_IFDIR || type == OSP_S_IFLNK ? OSP_OBJ_FILE : type == OSP_S_IFBLK ? OSP_OBJ_BLOCK
		  : type == OSP_S_IFCHR ? OSP_OBJ_DEVICE : type == OSP_S_IFIFO ? OSP_OBJ_PIPE
		  : type == OSP_S_IFSOCK ? OSP_OBJ_SOCKET : OSP_OBJ_ANON;
	if (e->kind == OSP_OBJ_SOCKET)
		name_socket(e, f);
	else if (e->kind == OSP_OBJ_FILE || e->kind == OSP_OBJ_BLOCK || e->kind == OSP_OBJ_DEVICE)
		name_path(e->components, &e->ncomponents, f);
	else if (e->kind == OSP_OBJ_ANON) {	/* "[eventfd]", "[eventpoll]"... */
		bpf_probe_read_kernel_str(e->components[0], OSP_OBJ_COMPONENT_MAX,
					  BPF_CORE_READ(f, f_path.dentry, d_name.name));
		e->ncomponents = 1;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* At entry of an fd-taking call: which object, known to the map. */
static __always_inline void object_enter(struct osp_task *t, __u32 slot)
{
	struct osp_obj_stat zero = {};
	struct inode *inode;
	struct file *f;
	__u32 *cat;
	long err;

	t->obj.tgid = 0;
	t->obj_file = 0;
	cat = bpf_map_lookup_elem(&slot_cat, &slot);
	if (!cat || !(*cat & OSP_CAT_FD_FIRST))
		return;
	f = fd_file(t->arg0);
	if (!f)
		return;
	inode = BPF_CORE_READ(f, f_inode);
	t->obj.tgid = bpf_get_current_pid_tgid() >> 32;
	t->obj.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	t->obj.ino = BPF_CORE_READ(inode, i_ino);
	if (bpf_map_lookup_elem(&objects, &t->obj))
		return;
	err = bpf_map_update_elem(&objects, &t->obj, &zero, BPF_NOEXIST);
	if (!err && slot == nr_close)
		emit_object(t->obj.tgid, t->obj.dev, t->obj.ino, (__u64)f);
	else if (!err)
		t->obj_file = (__u64)f;		/* named at the return */
	else if (err != -EEXIST)
		count_drop(OSP_DROP_OBJECTS_FULL);
}

static __always_inline void object_exit(struct osp_task *t, __u64 d, long ret, __u64 off, bool moves)
{
	struct osp_obj_stat *v;

	if (!t->obj.tgid)
		return;
	if (t->obj_file) {
		emit_object(t->obj.tgid, t->obj.dev, t->obj.ino, t->obj_file);
		t->obj_file = 0;
	}
	v = bpf_map_lookup_elem(&objects, &t->obj);
	t->obj.tgid = 0;
	if (!v)
		return;
	__sync_fetch_and_add(&v->count, 1);
	__sync_fetch_and_add(&v->total_ns, d);
	if (off)
		__sync_fetch_and_add(&v->offcpu_ns, off);
	if (syscall_failed(ret))
		__sync_fetch_and_add(&v->errors, 1);
	else if (moves && ret > 0)
		__sync_fetch_and_add(&v->bytes, (__u64)ret);
}

#endif
