/*
 * The harness's host side: an ordinary Linux program around upstream's core (glue.c, arch.c).
 * It speaks Warden's conformance protocol (proofs/refinement/processImplementation.ts), one JSON
 * request per line on stdin, one JSON answer per line on stdout, plus "observe", the detailed
 * state `warden diff-core` compares.
 *
 * Simulated machine:
 *  - the hypervisor image is a shared-memory file mapped over glue.c's image; the current CPU's
 *    per-CPU slot of the same file is mapped at LOCAL_CPU_BASE, so "running on CPU n" is one mmap;
 *  - physical memory is a sparse shared-memory file; the core's temporary mappings alias its pages;
 *  - each hypercall runs on its own stack (ucontext). cpu_relax() switches back to this loop, which
 *    lets the cells act (or lets a reply timeout run out) before it resumes the hypercall: the same
 *    poll steps Warden's TypeScript core takes. An exchange nobody can end is reported, not spun.
 *
 * Upstream's core keeps state in static variables, so "load" after the first one re-executes this
 * program, which starts from a pristine image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include "harness.h"

#define POLL_LIMIT 10000
#define STACK_BYTES (1 << 20)
#define PHYS_BYTES (1UL << 40)
#define PAGE 4096UL
#define HC_DISABLE 0
#define HC_CELL_CREATE 1
#define HC_CELL_START 2
#define HC_CELL_SET_LOADABLE 3
#define HC_CELL_DESTROY 4
#define HC_CELL_GET_STATE 6
#define COMM_STATE 0
#define COMM_MSG 1
#define COMM_REPLY 2

/* ---------- output ---------- */

static char out[1 << 20];
static size_t out_len;

static void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(out + out_len, sizeof(out) - out_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out_len += (size_t)n < sizeof(out) - out_len ? (size_t)n : sizeof(out) - out_len - 1;
}

static void flush_line(void)
{
	out[out_len++] = '\n';
	fwrite(out, 1, out_len, stdout);
	fflush(stdout);
	out_len = 0;
}

static void answer_error(const char *why)
{
	out_len = 0;
	emit("{\"error\":\"%s\"}", why);
	flush_line();
}

void host_console(const char *s)
{
	if (getenv("WARDEN_HARNESS_VERBOSE"))
		fputs(s, stderr);
}

void host_fatal(const char *what)
{
	fprintf(stderr, "harness: %s\n", what);
	exit(70);
}

/* ---------- a tiny JSON reader for the protocol's flat objects ---------- */

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Past one JSON value starting at p. */
static const char *skip_value(const char *p)
{
	int depth = 0;

	p = skip_ws(p);
	do {
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else if (depth == 0) {
			while (*p && *p != ',' && *p != '}' && *p != ']')
				p++;
		} else if (*p) {
			p++;
		}
		if (depth > 0 && *p == 0)
			return p;
	} while (depth > 0);
	return p;
}

/* The value of `key` among the members of the object at obj (not of nested objects). */
static const char *member(const char *obj, const char *key)
{
	const char *p = skip_ws(obj);
	size_t len = strlen(key);

	if (*p != '{')
		return NULL;
	p++;
	while (*(p = skip_ws(p)) == '"') {
		const char *name = p + 1;
		const char *end = skip_value(p);
		int match = (size_t)(end - name - 1) == len && strncmp(name, key, len) == 0;
		p = skip_ws(end);
		if (*p != ':')
			return NULL;
		p = skip_ws(p + 1);
		if (match)
			return p;
		p = skip_ws(skip_value(p));
		if (*p == ',')
			p++;
	}
	return NULL;
}

/* Copies a string value (no escapes beyond \" and \\ are expected). */
static int string_of(const char *v, char *buf, size_t size)
{
	size_t n = 0;

	if (!v || *v != '"')
		return -1;
	for (v++; *v && *v != '"' && n + 1 < size; v++) {
		if (*v == '\\' && v[1])
			v++;
		buf[n++] = *v;
	}
	buf[n] = 0;
	return 0;
}

static int member_string(const char *obj, const char *key, char *buf, size_t size)
{
	return string_of(member(obj, key), buf, size);
}

/* ---------- configuration files ---------- */

struct cell_file {
	char name[HX_NAME_LEN];
	unsigned char *bytes;
	size_t size;
	unsigned long long cpus;
	unsigned int flags;
};

static struct cell_file cells[HX_MAX_CELLS];
static int num_cells;
static unsigned char *system_bytes;
static size_t system_size;

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* Offsets in struct jailhouse_cell_desc (include/jailhouse/cell-config.h, revision 14). */
#define DESC_NAME 8
#define DESC_ID 40
#define DESC_FLAGS 44
#define DESC_CPU_SET_SIZE 48
#define CELL_PASSIVE_COMMREG 0x1

static unsigned int u32_at(const unsigned char *b, size_t off)
{
	return b[off] | b[off + 1] << 8 | b[off + 2] << 16 | (unsigned int)b[off + 3] << 24;
}

static int parse_cell(struct cell_file *c)
{
	unsigned int set_size;

	if (c->size < hx_cell_desc_size() || memcmp(c->bytes, "JHCLL", 5) != 0)
		return -1;
	memcpy(c->name, c->bytes + DESC_NAME, HX_NAME_LEN - 1);
	c->flags = u32_at(c->bytes, DESC_FLAGS);
	set_size = u32_at(c->bytes, DESC_CPU_SET_SIZE);
	c->cpus = 0;
	for (unsigned int n = 0; n < set_size * 8 && n < HX_MAX_CPUS; n++)
		if (c->bytes[hx_cell_desc_size() + n / 8] >> (n % 8) & 1)
			c->cpus |= 1ULL << n;
	return 0;
}

static int config_index(const char *name)
{
	for (int i = 0; i < num_cells; i++)
		if (strcmp(cells[i].name, name) == 0)
			return i;
	return -1;
}

/* ---------- simulated machine ---------- */

static int image_fd = -1, phys_fd = -1;
static int loaded, disabled, hung;

void host_map_temporary(unsigned long virt, unsigned long phys)
{
	if (mmap((void *)virt, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, phys_fd,
		 (off_t)(phys & ~(PAGE - 1))) == MAP_FAILED)
		host_fatal("cannot map a temporary page");
}

static void map_cpu(unsigned int cpu)
{
	static int current = -1;

	if ((int)cpu == current)
		return;
	if (mmap((void *)hx_local_cpu_base(), hx_per_cpu_size(), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, image_fd, (off_t)hx_per_cpu_offset(cpu)) == MAP_FAILED)
		host_fatal("cannot map the per-CPU data at LOCAL_CPU_BASE");
	current = cpu;
}

static int machine_up(void)
{
	image_fd = memfd_create("jailhouse-image", 0);
	phys_fd = memfd_create("jailhouse-phys", 0);
	if (image_fd < 0 || phys_fd < 0 || ftruncate(image_fd, hx_image_size()) ||
	    ftruncate(phys_fd, PHYS_BYTES))
		return -1;
	if (mmap((void *)hx_image_base(), hx_image_size(), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, image_fd, 0) == MAP_FAILED)
		return -1;
	/* The temporary window in front of LOCAL_CPU_BASE. */
	if (mmap((void *)(hx_local_cpu_base() - 16 * PAGE), 16 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED)
		return -1;
	return 0;
}

static struct hx_cell cell_info(int index)
{
	struct hx_cell c;

	hx_cell_info(index, &c);
	return c;
}

static int cell_index(const char *name)
{
	int n = hx_cell_count();

	for (int i = 1; i < n; i++)
		if (strcmp(cell_info(i).name, name) == 0)
			return i;
	return -1;
}

static int cpu_runs(unsigned int cpu, int unfailed)
{
	struct hx_cpu c;

	if (hx_cpu_info(cpu, &c))
		return 0;
	return c.mode == HX_CPU_RUNNING && !c.suspended && !(unfailed && c.failed);
}

/* The lowest CPU of a cell that executes guest code (-1: none). */
static int running_cpu(int index, int unfailed)
{
	struct hx_cell c = cell_info(index);

	for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
		if ((c.cpus >> n & 1) && cpu_runs(n, unfailed))
			return n;
	return -1;
}

static int count_running(int index)
{
	struct hx_cell c = cell_info(index);
	int k = 0;

	for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
		k += (c.cpus >> n & 1) && cpu_runs(n, 0);
	return k;
}

static int popcount(unsigned long long x)
{
	return __builtin_popcountll(x);
}

/* ---------- hypercalls on their own stacks ---------- */

struct call {
	ucontext_t ctx;
	unsigned int cpu;
	unsigned long code, arg;
	long result;
	int done;
	char *stack;
};

static ucontext_t loop_ctx;
static struct call *running_call;
static unsigned long relax_outside;

/*
 * Fast-forward of a reply timeout: while no cell acts, the polls upstream's loop makes until its
 * timeout runs out change nothing but its counter, so they run without a switch to the loop as
 * long as the polled cell's comm words stay as they were.
 */
static unsigned long ff_polls;
static int ff_cell = -1;
static struct hx_cell ff_words;

static int ff_unchanged(void)
{
	struct hx_cell now = cell_info(ff_cell);

	return now.msg_to_cell == ff_words.msg_to_cell && now.reply_from_cell == ff_words.reply_from_cell &&
	       now.cell_state == ff_words.cell_state;
}

/*
 * The exchange a polling call waits in, for ManagementVote's view: its peer, the message and the
 * polls made since it was posted (upstream decrements its timeout once per poll, before relaxing).
 */
static int wait_cell = -1;
static unsigned int wait_msg;
static unsigned long wait_polls;
static int polled_cell(void);

static int counted_cell = -1;
static unsigned int counted_msg;

static void note_poll(void)
{
	int peer = polled_cell();
	unsigned int msg = peer >= 0 ? cell_info(peer).msg_to_cell : 0;

	if (peer != counted_cell || msg != counted_msg) {
		counted_cell = peer;
		counted_msg = msg;
		wait_polls = 0;
	}
	wait_polls++;
	wait_cell = peer;
	wait_msg = msg;
}

void harness_cpu_relax(void)
{
	struct call *c = running_call;

	if (c)
		note_poll();

	if (c && ff_polls > 0 && ff_cell >= 0 && ff_unchanged()) {
		ff_polls--;
		return;
	}
	if (!c) {
		/* Only a hypercall may wait; anything else spinning is a harness bug. */
		if (++relax_outside > 1000000)
			host_fatal("the core spins outside a hypercall");
		return;
	}
	swapcontext(&c->ctx, &loop_ctx);
}

static void call_entry(unsigned int hi, unsigned int lo)
{
	struct call *c = (struct call *)(((unsigned long)hi << 32) | lo);

	c->result = hx_hypercall(c->code, c->arg, 0);
	c->done = 1;
	swapcontext(&c->ctx, &loop_ctx);
}

/* Runs (or continues) a call on its CPU until it returns or polls. */
static void resume(struct call *c)
{
	wait_cell = -1;
	map_cpu(c->cpu);
	running_call = c;
	swapcontext(&loop_ctx, &c->ctx);
	running_call = NULL;
	hx_settle_cpus();
}

static struct call *start_call(unsigned int cpu, unsigned long code, unsigned long arg)
{
	struct call *c = calloc(1, sizeof(*c));
	unsigned long p = (unsigned long)c;

	counted_cell = -1;
	c->cpu = cpu;
	c->code = code;
	c->arg = arg;
	c->stack = malloc(STACK_BYTES);
	getcontext(&c->ctx);
	c->ctx.uc_stack.ss_sp = c->stack;
	c->ctx.uc_stack.ss_size = STACK_BYTES;
	c->ctx.uc_link = NULL;
	makecontext(&c->ctx, (void (*)(void))call_entry, 2, (unsigned int)(p >> 32), (unsigned int)p);
	resume(c);
	return c;
}

static void end_call(struct call *c)
{
	/* A call still polling is abandoned with its stack: the run is over (hung). */
	if (c->done) {
		free(c->stack);
		free(c);
	}
}

/* ---------- the cells' side of the comm protocol ---------- */

enum { SILENT, APPROVE, DENY, RECEIVED };
struct policy {
	int request, info;
};
static struct policy policies[HX_MAX_CELLS]; /* by configuration index */

static struct policy policy_named(const char *vote)
{
	if (!strcmp(vote, "deny"))
		return (struct policy){ DENY, RECEIVED };
	if (!strcmp(vote, "timeout") || !strcmp(vote, "hang"))
		return (struct policy){ SILENT, SILENT };
	return (struct policy){ APPROVE, RECEIVED };
}

/*
 * create and destroy: the cells the command's "silent" list names never answer the
 * RECONFIG_COMPLETED broadcast after the commit; every other active cell answers RECEIVED (as the
 * TypeScript binding's broadcastAnswers). Passive cells are never asked.
 */
static void broadcast_answers(const char *cmd)
{
	const char *v = member(cmd, "silent");

	for (int k = 0; k < num_cells; k++)
		if (!(cells[k].flags & CELL_PASSIVE_COMMREG))
			policies[k].info = RECEIVED;
	if (!v || *v != '[')
		return;
	for (v = skip_ws(v + 1); *v == '"';) {
		char name[HX_NAME_LEN];
		int k = string_of(v, name, sizeof(name)) ? -1 : config_index(name);

		if (k >= 0 && !(cells[k].flags & CELL_PASSIVE_COMMREG))
			policies[k].info = SILENT;
		v = skip_ws(skip_value(v));
		if (*v == ',')
			v = skip_ws(v + 1);
	}
}

/* One poll of a cell's message loop (as hypervisor/guest/commAgent.ts): did it write anything? */
static int agent_step(int index, struct policy p)
{
	struct hx_cell c = cell_info(index);
	unsigned int reply = 0;

	if (running_cpu(index, 1) < 0 || !c.has_comm_region || c.msg_to_cell == 0)
		return 0;
	if (c.msg_to_cell == 1)
		reply = p.request == APPROVE ? 3 : p.request == DENY ? 2 : 0;
	else if (c.msg_to_cell == 2)
		reply = p.info == RECEIVED ? 4 : 0;
	else
		reply = 1;
	if (!reply)
		return 0;
	hx_write_comm(index, COMM_MSG, 0);
	hx_write_comm(index, COMM_REPLY, reply);
	return 1;
}

/* The cell a polling call waits for: a message posted, no reply, not shut down or failed. */
static int polled_cell(void)
{
	int n = hx_cell_count();

	for (int i = 1; i < n; i++) {
		struct hx_cell c = cell_info(i);
		if (c.msg_to_cell != 0 && c.reply_from_cell == 0 && c.cell_state != 2 &&
		    c.cell_state != 3 && !c.passive_commreg)
			return i;
	}
	return -1;
}

/*
 * Polls a call to its end with every cell acting between polls, as the TypeScript binding's
 * `finish`. When no cell acts, the reply timeout runs out (one resume per upstream loop
 * iteration), or, without a timeout, the call is blocked for good.
 */
static const char *finish(struct call *c)
{
	for (int i = 0; i < POLL_LIMIT && !c->done; i++) {
		int acted = 0, n = hx_cell_count();

		for (int k = 1; k < n; k++) {
			int conf = config_index(cell_info(k).name);
			acted |= agent_step(k, conf >= 0 ? policies[conf] : (struct policy){ APPROVE, RECEIVED });
		}
		if (acted) {
			resume(c);
			continue;
		}
		int peer = polled_cell();
		if (peer < 0) {
			resume(c);
			continue;
		}
		struct hx_cell before = cell_info(peer);
		if (before.msg_reply_timeout == 0)
			break;
		ff_cell = peer;
		ff_words = before;
		ff_polls = before.msg_reply_timeout + 1;
		resume(c);
		ff_cell = -1;
		ff_polls = 0;
	}
	return NULL;
}

static const char *errno_name(long r)
{
	switch (-r) {
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EIO: return "EIO";
	case E2BIG: return "E2BIG";
	case ENOMEM: return "ENOMEM";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	default: return "EUNKNOWN";
	}
}

static char result_buf[64];

static const char *result_of(struct call *c, int value)
{
	if (!c->done) {
		hung = 1;
		return "HANG";
	}
	long r = c->result;
	end_call(c);
	if (r == 0 && !value)
		return "ok";
	if (r >= 0) {
		snprintf(result_buf, sizeof(result_buf), "%ld", r);
		return result_buf;
	}
	return errno_name(r);
}

/* The root CPU the driver runs on: its lowest one executing Linux. */
static int driver_cpu(void)
{
	return running_cpu(0, 1);
}

/* Writes a configuration (with its id) where the driver stages it; returns its address (0: none). */
static unsigned long stage(int conf, unsigned int id)
{
	struct cell_file *f = &cells[conf];
	unsigned long at = hx_staging_address(f->size);
	unsigned char idb[4] = { id, id >> 8, id >> 16, id >> 24 };

	if (!at)
		return 0;
	if (pwrite(phys_fd, f->bytes, f->size, (off_t)at) != (ssize_t)f->size ||
	    pwrite(phys_fd, idb, 4, (off_t)at + DESC_ID) != 4)
		host_fatal("cannot write simulated physical memory");
	return at;
}

/* ---------- ManagementVote: a call issued, then polled one loop iteration at a time ---------- */

static struct call *current;          /* the management call in progress */
static char current_op[16], current_target[HX_NAME_LEN];
static unsigned long long current_returning; /* CPUs a destroy hands back to Linux */
static int current_conf = -1;                /* the configuration a create stages */

#define CELL_VIRTUAL_CONSOLE_PERMITTED 0x40000000u
#define CELL_VIRTUAL_CONSOLE_ACTIVE 0x80000000u

/* What the driver does once a call returned (as hypervisor/driver/rootDriver.ts). */
static const char *call_outcome(void)
{
	if (!current->done)
		return "waiting";
	long r = current->result;
	if (r < 0 && !strcmp(current_op, "create") && current_conf >= 0) {
		struct hx_cell root = cell_info(0);
		for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
			if ((cells[current_conf].cpus >> n & 1) && (root.cpus >> n & 1))
				hx_set_cpu_mode(n, HX_CPU_RUNNING);
	}
	if (r == 0 && !strcmp(current_op, "destroy"))
		for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
			if (current_returning >> n & 1)
				hx_set_cpu_mode(n, HX_CPU_RUNNING);
	end_call(current);
	current = NULL;
	if (r == 0)
		return "ok";
	if (r > 0) {
		snprintf(result_buf, sizeof(result_buf), "%ld", r);
		return result_buf;
	}
	return errno_name(r);
}

/* A call the driver answers itself, without a hypercall. */
static const char *driver_refuses(const char *name)
{
	return name;
}

/* `jailhouse cell create` and friends as the driver issues them; runs to the first poll. */
static const char *issue(const char *call, const char *name, char *err, size_t errlen)
{
	int conf = config_index(name), cpu = driver_cpu(), i = cell_index(name);

	if (cpu < 0) {
		snprintf(err, errlen, "no root CPU is running Linux");
		return NULL;
	}
	snprintf(current_op, sizeof(current_op), "%s", call);
	snprintf(current_target, sizeof(current_target), "%s", name);
	current_conf = conf;
	current_returning = 0;
	if (!strcmp(call, "create")) {
		struct hx_cell root = cell_info(0);
		unsigned int id = 1;
		if (conf < 0) {
			snprintf(err, errlen, "no cell '%s' in the configuration set", name);
			return NULL;
		}
		if (i > 0)
			return driver_refuses("EEXIST");
		for (int k = 1; k < hx_cell_count(); k++)
			if (cell_info(k).id == id) {
				id++;
				k = 0;
			}
		if ((cells[conf].cpus & ~root.cpus) != 0)
			return driver_refuses("EBUSY");
		if (cells[conf].cpus & 1)
			return driver_refuses("EINVAL"); /* x86: CPU 0 stays with Linux */
		unsigned long at = stage(conf, id);
		if (!at)
			return driver_refuses("ENOMEM");
		if (cells[conf].flags & CELL_VIRTUAL_CONSOLE_ACTIVE) {
			unsigned int f = cells[conf].flags | CELL_VIRTUAL_CONSOLE_PERMITTED;
			unsigned char fb[4] = { f, f >> 8, f >> 16, f >> 24 };
			if (pwrite(phys_fd, fb, 4, (off_t)at + DESC_FLAGS) != 4)
				host_fatal("cannot write simulated physical memory");
		}
		current = start_call(cpu, HC_CELL_CREATE, at);
		return call_outcome();
	}
	if (i <= 0)
		return driver_refuses("ENOENT");
	unsigned long code = !strcmp(call, "start") ? HC_CELL_START
			     : !strcmp(call, "destroy") ? HC_CELL_DESTROY
							: HC_CELL_SET_LOADABLE;
	if (code == HC_CELL_DESTROY)
		current_returning = cell_info(i).cpus;
	current = start_call(cpu, code, cell_info(i).id);
	return call_outcome();
}

static const char *poll_call(int expire)
{
	int peer = polled_cell();

	if (expire && peer >= 0 && cell_info(peer).msg_reply_timeout > 0) {
		/* No cell acts while the rest of the timeout runs out. */
		ff_cell = peer;
		ff_words = cell_info(peer);
		ff_polls = ff_words.msg_reply_timeout + 1;
		resume(current);
		ff_cell = -1;
		ff_polls = 0;
	} else {
		resume(current);
	}
	return call_outcome();
}

/*
 * A cell answers the message it finds with exactly `reply` (coreExchange.ts's policies): a request
 * reply only to SHUTDOWN_REQUEST, RECEIVED only to RECONFIG_COMPLETED, UNKNOWN to anything; a
 * message it does not know is always answered UNKNOWN.
 */
static const char *answer(const char *name, const char *reply)
{
	int i = cell_index(name), request = !strcmp(reply, "REQUEST_APPROVED") || !strcmp(reply, "REQUEST_DENIED");
	unsigned int code = 1;
	struct hx_cell c;

	if (i <= 0)
		return NULL;
	c = cell_info(i);
	if (running_cpu(i, 1) < 0 || !c.has_comm_region || c.msg_to_cell == 0)
		return "nothing to answer";
	if (c.msg_to_cell == 1 && request)
		code = !strcmp(reply, "REQUEST_APPROVED") ? 3 : 2;
	else if (c.msg_to_cell == 2 && !strcmp(reply, "RECEIVED"))
		code = 4;
	else if ((c.msg_to_cell == 1 && !strcmp(reply, "RECEIVED")) || (c.msg_to_cell == 2 && request))
		return "nothing to answer";
	hx_write_comm(i, COMM_MSG, 0);
	hx_write_comm(i, COMM_REPLY, code);
	return "ok";
}

static const char *comm_state_names[] = { "RUNNING", "RUNNING_LOCKED", "SHUT_DOWN", "FAILED",
					  "FAILED_COMM_REV" };
static const char *msg_names[] = { "NONE", "SHUTDOWN_REQUEST", "RECONFIG_COMPLETED" };
static const char *reply_names[] = { "NONE", "UNKNOWN", "REQUEST_DENIED", "REQUEST_APPROVED", "RECEIVED" };

static void emit_word(const char **names, unsigned int count, unsigned int v)
{
	if (v < count)
		emit("\"%s\"", names[v]);
	else
		emit("\"0x%x\"", v);
}

static int cpu_suspended(unsigned int n)
{
	struct hx_cpu c;

	return !hx_cpu_info(n, &c) && c.suspended;
}

static void emit_exchange(void)
{
	int n = hx_cell_count();
	struct hx_cell root = cell_info(0);

	emit(",\"exchange\":{\"comm\":{");
	for (int i = 1; i < n; i++) {
		struct hx_cell c = cell_info(i);
		emit("%s\"%s\":{\"state\":", i > 1 ? "," : "", c.name);
		emit_word(comm_state_names, 5, c.cell_state);
		emit(",\"msg\":");
		emit_word(msg_names, 3, c.msg_to_cell);
		emit(",\"reply\":");
		emit_word(reply_names, 5, c.reply_from_cell);
		emit("}");
	}
	emit("},\"call\":");
	int suspended;
	if (!current) {
		emit("null");
		suspended = 0;
		for (unsigned int k = 0; k < HX_MAX_CPUS; k++)
			if ((root.cpus >> k & 1) && cpu_suspended(k))
				suspended = 1;
	} else {
		/* The exchange the call polled in when it last yielded (a cell may have answered since). */
		int peer = wait_cell;
		emit("{\"op\":\"%s\",\"target\":\"%s\"", current_op, current_target);
		if (peer >= 0) {
			struct hx_cell c = cell_info(peer);
			emit(",\"waiting\":{\"cell\":\"%s\",\"message\":", c.name);
			emit_word(msg_names, 3, wait_msg);
			if (c.msg_reply_timeout == 0)
				emit(",\"pollsLeft\":null}");
			else
				emit(",\"pollsLeft\":%lu}",
				     c.msg_reply_timeout - wait_polls);
		}
		emit(",\"remaining\":[");
		if (peer >= 0 && wait_msg == 2)
			for (int i = peer + 1; i < n; i++)
				emit("%s\"%s\"", i > peer + 1 ? "," : "", cell_info(i).name);
		emit("]}");
		/* No root CPU but the caller runs root code (each is suspended or parked). */
		suspended = 1;
		for (unsigned int k = 0; k < HX_MAX_CPUS; k++) {
			struct hx_cpu c;
			if (!(root.cpus >> k & 1) || k == current->cpu || hx_cpu_info(k, &c))
				continue;
			if (!c.suspended && c.mode == HX_CPU_RUNNING)
				suspended = 0;
		}
	}
	emit(",\"rootSuspended\":%s}", suspended ? "true" : "false");
}

/* ---------- the protocol's commands ---------- */

static int vote_command(const char *op)
{
	return !strcmp(op, "set_loadable") || !strcmp(op, "start") || !strcmp(op, "destroy");
}

static int applicable(const char *cmd)
{
	char op[32] = "", name[64] = "";

	member_string(cmd, "op", op, sizeof(op));
	member_string(cmd, "cell", name, sizeof(name));
	if (hung || disabled)
		return 0;
	/* While a call polls, the root issues nothing else; cells still act. */
	if (current && strcmp(op, "poll") && strcmp(op, "answer") && strcmp(op, "declare") &&
	    strcmp(op, "write_state") && strcmp(op, "cpus_fail"))
		return 0;
	if (!strcmp(op, "create") || !strcmp(op, "get_state") || !strcmp(op, "set_loadable") ||
	    !strcmp(op, "destroy"))
		return 1;
	if (!strcmp(op, "start")) {
		int conf = config_index(name);
		return conf < 0 || cells[conf].cpus != 0 || (cells[conf].flags & CELL_PASSIVE_COMMREG);
	}
	if (!strcmp(op, "write_state")) {
		int i = cell_index(name);
		return i > 0 && count_running(i) > 0;
	}
	if (!strcmp(op, "cpus_fail")) {
		int i = cell_index(name);
		return i > 0 && cell_info(i).cpus != 0 && count_running(i) == popcount(cell_info(i).cpus);
	}
	if (!strcmp(op, "disable")) {
		struct hx_cell root = cell_info(0);
		for (unsigned int n = 0; n < HX_MAX_CPUS; n++) {
			struct hx_cpu c;
			if ((root.cpus >> n & 1) && (hx_cpu_info(n, &c) || c.mode != HX_CPU_RUNNING))
				return 0;
		}
		return 1;
	}
	if (!strcmp(op, "poll"))
		return current != NULL;
	if (!strcmp(op, "answer") || !strcmp(op, "declare")) {
		/* A cell acts through a CPU executing guest code (as coreExchange.ts). */
		int i = cell_index(name);
		return i > 0 && running_cpu(i, 1) >= 0;
	}
	if (!strcmp(op, "issue")) {
		char call[16] = "";
		int conf = config_index(name);
		member_string(cmd, "call", call, sizeof(call));
		if (current)
			return 0;
		return strcmp(call, "start") != 0 || conf < 0 || cells[conf].cpus != 0 ||
		       (cells[conf].flags & CELL_PASSIVE_COMMREG);
	}
	/* IPIs and interrupt routing (ResourceOwnership's guest actions): not served yet. */
	return 0;
}

static const char *disable_all(void)
{
	struct hx_cell root = cell_info(0);
	struct call *calls[HX_MAX_CPUS];
	int k = 0;

	for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
		if (root.cpus >> n & 1)
			calls[k++] = start_call(n, HC_DISABLE, 0);
	/* One more poll each, as the TypeScript binding does. */
	for (int i = 0; i < k; i++)
		if (!calls[i]->done)
			resume(calls[i]);
	if (calls[0]->done && calls[0]->result != 0)
		return errno_name(calls[0]->result);
	for (int i = 0; i < k; i++)
		if (!calls[i]->done || calls[i]->result != 0) {
			hung = 1;
			return "HANG";
		}
	disabled = 1;
	return "ok";
}

static const char *perform(const char *cmd, char *err, size_t errlen)
{
	char op[32] = "", name[64] = "", vote[16] = "", state[16] = "";
	int conf, i, cpu;

	member_string(cmd, "op", op, sizeof(op));
	member_string(cmd, "cell", name, sizeof(name));
	member_string(cmd, "vote", vote, sizeof(vote));
	member_string(cmd, "state", state, sizeof(state));
	conf = config_index(name);
	cpu = driver_cpu();
	if (!strcmp(op, "issue")) {
		char call[16] = "";
		member_string(cmd, "call", call, sizeof(call));
		return issue(call, name, err, errlen);
	}
	if (!strcmp(op, "poll")) {
		char expire[8] = "";
		const char *v = member(cmd, "expire");
		if (!current) {
			snprintf(err, errlen, "no management call is in progress");
			return NULL;
		}
		if (v)
			snprintf(expire, sizeof(expire), "%.4s", v);
		return poll_call(!strcmp(expire, "true"));
	}
	if (!strcmp(op, "answer")) {
		char reply[32] = "";
		member_string(cmd, "reply", reply, sizeof(reply));
		const char *r = answer(name, reply);
		if (!r)
			snprintf(err, errlen, "cell '%s' does not exist", name);
		return r;
	}
	if (!strcmp(op, "declare")) {
		int k = cell_index(name);
		if (k <= 0 || running_cpu(k, 1) < 0) {
			snprintf(err, errlen, "cell \"%s\" has no running CPU", name);
			return NULL;
		}
		for (unsigned int s = 0; s < 5; s++)
			if (!strcmp(state, comm_state_names[s]))
				hx_write_comm(k, COMM_STATE, s);
		return "ok";
	}
	if (!strcmp(op, "disable"))
		return disable_all();
	if (!strcmp(op, "write_state")) {
		static const char *names[] = { "RUN", "LCK", "SDC", "FL", "FCR" };
		i = cell_index(name);
		for (unsigned int s = 0; s < 5; s++)
			if (i > 0 && !strcmp(state, names[s]))
				hx_write_comm(i, COMM_STATE, s);
		return "ok";
	}
	if (!strcmp(op, "cpus_fail")) {
		struct hx_cell c = cell_info(cell_index(name));
		for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
			if ((c.cpus >> n & 1) && cpu_runs(n, 0)) {
				map_cpu(n);
				hx_panic_park();
			}
		return "ok";
	}
	if (cpu < 0) {
		snprintf(err, errlen, "no root CPU is running Linux");
		return NULL;
	}
	if (!strcmp(op, "create")) {
		if (conf < 0) {
			snprintf(err, errlen, "no cell '%s' in the configuration set", name);
			return NULL;
		}
		broadcast_answers(cmd);
		unsigned long at = stage(conf, conf + 1);
		if (!at) {
			snprintf(err, errlen, "no root memory left to stage a configuration in");
			return NULL;
		}
		struct call *c = start_call(cpu, HC_CELL_CREATE, at);
		finish(c);
		const char *r = result_of(c, 0);
		/* As the driver does after a failure: the CPUs it had offlined come back online. */
		if (strcmp(r, "ok") != 0 && strcmp(r, "HANG") != 0) {
			struct hx_cell root = cell_info(0);
			for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
				if ((cells[conf].cpus >> n & 1) && (root.cpus >> n & 1))
					hx_set_cpu_mode(n, HX_CPU_RUNNING);
		}
		return r;
	}
	if (!strcmp(op, "get_state")) {
		struct call *c = start_call(cpu, HC_CELL_GET_STATE, conf + 1);
		finish(c);
		return result_of(c, 1);
	}
	if (vote_command(op)) {
		unsigned long code = !strcmp(op, "start") ? HC_CELL_START
				     : !strcmp(op, "destroy") ? HC_CELL_DESTROY
							      : HC_CELL_SET_LOADABLE;
		if (code == HC_CELL_DESTROY)
			broadcast_answers(cmd);
		if (conf >= 0 && !(cells[conf].flags & CELL_PASSIVE_COMMREG))
			policies[conf] = policy_named(vote);
		i = cell_index(name);
		unsigned long long returning = i > 0 ? cell_info(i).cpus : 0;
		struct call *c = start_call(cpu, code, i > 0 ? cell_info(i).id : (unsigned)(conf + 1));
		finish(c);
		const char *r = result_of(c, 0);
		/* After destroy the driver brings the returned CPUs online in Linux again. */
		if (i > 0 && code == HC_CELL_DESTROY && !strcmp(r, "ok"))
			for (unsigned int n = 0; n < HX_MAX_CPUS; n++)
				if (returning >> n & 1)
					hx_set_cpu_mode(n, HX_CPU_RUNNING);
		return r;
	}
	snprintf(err, errlen, "command \"%s\" is not served by the C harness", op);
	return NULL;
}

/* ---------- states ---------- */

static const char *abstract_cell(int i)
{
	struct hx_cell c = cell_info(i);

	switch (c.cell_state) {
	case 0: return "RUN";
	case 1: return "LCK";
	case 3: return "FL";
	case 4: return "FCR";
	}
	for (unsigned int n = 0; n < HX_MAX_CPUS; n++) {
		struct hx_cpu cpu;
		if ((c.cpus >> n & 1) && !hx_cpu_info(n, &cpu) && cpu.mode == HX_CPU_RUNNING)
			return "SDC";
	}
	return c.loadable ? "SDL" : "SD0";
}

static void emit_state(void)
{
	emit("{\"state\":{\"cells\":{");
	for (int k = 0; k < num_cells; k++) {
		int i = cell_index(cells[k].name);
		emit("%s\"%s\":\"%s\"", k ? "," : "", cells[k].name, i > 0 ? abstract_cell(i) : "absent");
	}
	emit("},\"count\":%d,\"disabled\":%s,\"hung\":%s", hx_cell_count(), disabled ? "true" : "false",
	     hung ? "true" : "false");
	emit_exchange();
	emit("},\"invariants\":[]}");
}

static void emit_run(void *ctx, unsigned long virt, unsigned long phys, unsigned long size,
		     unsigned long flags)
{
	int *first = ctx;

	emit("%s[\"0x%lx\",\"0x%lx\",\"0x%lx\",%lu]", *first ? "" : ",", virt, phys, size, flags);
	*first = 0;
}

/*
 * One answer for a list of commands ("applicable":[…] without the closing brace): diff-core asks
 * about its whole vocabulary every step.
 */
static int emit_applicable_many(const char *line)
{
	const char *p = member(line, "commands");

	if (!p || *p != '[') {
		answer_error("the request needs \"commands\"");
		return -1;
	}
	if (out_len == 0)
		emit("{");
	emit("\"applicable\":[");
	p = skip_ws(p + 1);
	for (int k = 0; *p == '{'; k++) {
		emit("%s%s", k ? "," : "", applicable(p) ? "true" : "false");
		p = skip_ws(skip_value(p));
		if (*p == ',')
			p = skip_ws(p + 1);
	}
	emit("]");
	return 0;
}

static void emit_observation_member(void);

/* Everything diff-core compares: cells with their comm words and translation maps, and CPUs. */
static void emit_observation(void)
{
	emit("{");
	emit_observation_member();
	emit("}");
}

static void emit_observation_member(void)
{
	int n = hx_cell_count();

	emit("\"observation\":{\"disabled\":%s,\"hung\":%s,\"cells\":[", disabled ? "true" : "false",
	     hung ? "true" : "false");
	for (int i = 0; i < n; i++) {
		struct hx_cell c = cell_info(i);
		int first = 1;
		emit("%s{\"name\":\"%s\",\"id\":%u,\"loadable\":%s,\"state\":%u,\"msg\":%u,\"reply\":%u,"
		     "\"cpus\":[",
		     i ? "," : "", c.name, c.id, c.loadable ? "true" : "false", c.cell_state,
		     c.msg_to_cell, c.reply_from_cell);
		for (unsigned int k = 0, f = 1; k < HX_MAX_CPUS; k++)
			if (c.cpus >> k & 1) {
				emit("%s%u", f ? "" : ",", k);
				f = 0;
			}
		emit("],\"map\":[");
		hx_cell_runs(i, emit_run, &first);
		emit("]}");
	}
	emit("],\"cpus\":[");
	for (unsigned int k = 0, f = 1; k < hx_max_cpus(); k++) {
		struct hx_cpu c;
		if (hx_cpu_info(k, &c))
			continue;
		emit("%s{\"cpu\":%u,\"cell\":\"%s\",\"failed\":%s,\"suspended\":%s,\"mode\":\"%s\"}",
		     f ? "" : ",", k, c.cell >= 0 ? cell_info(c.cell).name : "", c.failed ? "true" : "false",
		     c.suspended ? "true" : "false",
		     c.mode == HX_CPU_RUNNING ? "running" : c.mode == HX_CPU_PARKED ? "parked" : "off");
		f = 0;
	}
	emit("]}");
}

/* ---------- load ---------- */

static char *pending_load; /* a load request carried over an exec */

static int load(const char *req, char *err, size_t errlen)
{
	const char *files = member(req, "files"), *p;
	char path[4096];
	const char *why = "";

	if (!files || *files != '[') {
		snprintf(err, errlen, "load needs \"files\"");
		return -1;
	}
	p = skip_ws(files + 1);
	for (int k = 0; *p == '"'; k++) {
		string_of(p, path, sizeof(path));
		p = skip_ws(skip_value(p));
		if (*p == ',')
			p = skip_ws(p + 1);
		size_t size;
		unsigned char *bytes = read_file(path, &size);
		if (!bytes) {
			snprintf(err, errlen, "%s: cannot read", path);
			return -1;
		}
		if (k == 0) {
			system_bytes = bytes;
			system_size = size;
			continue;
		}
		if (num_cells == HX_MAX_CELLS) {
			snprintf(err, errlen, "%s: too many cells", path);
			return -1;
		}
		cells[num_cells] = (struct cell_file){ .bytes = bytes, .size = size };
		if (parse_cell(&cells[num_cells])) {
			snprintf(err, errlen, "%s: not a binary Jailhouse cell configuration", path);
			return -1;
		}
		policies[num_cells] = (cells[num_cells].flags & CELL_PASSIVE_COMMREG)
					      ? (struct policy){ SILENT, SILENT }
					      : (struct policy){ APPROVE, RECEIVED };
		num_cells++;
	}
	if (!system_bytes) {
		snprintf(err, errlen, "load needs a system configuration first");
		return -1;
	}
	if (machine_up()) {
		snprintf(err, errlen, "cannot set up the simulated machine: %s", strerror(errno));
		return -1;
	}
	map_cpu(0);
	if (hx_init(system_bytes, system_size, &why)) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	loaded = 1;
	return 0;
}

static void handle(const char *line, char *self)
{
	char op[32] = "", err[512] = "";
	const char *cmd;

	if (member_string(line, "op", op, sizeof(op))) {
		answer_error("not a request");
		return;
	}
	if (!strcmp(op, "load")) {
		if (loaded) {
			/* A fresh image for every run: start again with this request. */
			fflush(stdout);
			setenv("WARDEN_HARNESS_LOAD", line, 1);
			execl("/proc/self/exe", self, (char *)NULL);
			answer_error("cannot restart the harness");
			return;
		}
		if (load(line, err, sizeof(err))) {
			answer_error(err);
			exit(2);
		}
		emit("{\"ok\":true}");
		flush_line();
		return;
	}
	if (!loaded) {
		answer_error("load a configuration set first");
		return;
	}
	cmd = member(line, "command");
	if (!strcmp(op, "applicable")) {
		emit("{\"applicable\":%s}", cmd && applicable(cmd) ? "true" : "false");
	} else if (!strcmp(op, "perform")) {
		const char *r = cmd ? perform(cmd, err, sizeof(err)) : NULL;
		if (!r) {
			answer_error(cmd ? err : "perform needs a command");
			return;
		}
		emit("{\"result\":\"%s\"}", r);
	} else if (!strcmp(op, "applicable_many")) {
		if (emit_applicable_many(line))
			return;
		emit("}");
	} else if (!strcmp(op, "step")) {
		/* diff-core's step in one round trip: perform, observe, and what is applicable next. */
		const char *r = cmd ? perform(cmd, err, sizeof(err)) : NULL;
		if (!r) {
			answer_error(cmd ? err : "step needs a command");
			return;
		}
		emit("{\"result\":\"%s\",", r);
		emit_observation_member();
		emit(",");
		if (emit_applicable_many(line))
			return;
		emit("}");
	} else if (!strcmp(op, "state")) {
		emit_state();
	} else if (!strcmp(op, "observe")) {
		emit_observation();
	} else {
		answer_error("unknown op");
		return;
	}
	flush_line();
}

int main(int argc, char **argv)
{
	static char line[1 << 16];
	size_t len = 0;

	(void)argc;
	pending_load = getenv("WARDEN_HARNESS_LOAD");
	if (pending_load) {
		pending_load = strdup(pending_load);
		unsetenv("WARDEN_HARNESS_LOAD");
		handle(pending_load, argv[0]);
	}
	/*
	 * The client waits for each answer before it sends the next request, so nothing is buffered
	 * past a "load" line when it re-executes this program.
	 */
	static char buf[1 << 16];
	for (;;) {
		ssize_t n = read(0, buf, sizeof(buf));
		if (n <= 0)
			return 0;
		for (ssize_t k = 0; k < n; k++) {
			if (buf[k] != '\n') {
				if (len + 1 < sizeof(line))
					line[len++] = buf[k];
				continue;
			}
			line[len] = 0;
			len = 0;
			if (line[0])
				handle(line, argv[0]);
		}
	}
}
