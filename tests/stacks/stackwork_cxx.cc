// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
// The --stacks test program in C++: its frames are named demangled
// (osp::Journal::flush(int)), built -O2 without frame pointers.
#include <time.h>

namespace osp {
struct Journal {
	__attribute__((noinline)) int flush(int n)
	{
		struct timespec ts = { 0, 1000 * 1000 };
		int bad = 0;

		for (int i = 0; i < n; i++)
			bad += nanosleep(&ts, nullptr) != 0;
		return bad;
	}
};
}

int main()
{
	osp::Journal j;
	int bad = j.flush(4);

	__asm__ volatile("" ::: "memory");
	return bad;
}
