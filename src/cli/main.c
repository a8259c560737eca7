/* vigil: the command-line entry point. */
#include <stdio.h>

int main(void)
{
	puts("vigil");
	return 0;
}
