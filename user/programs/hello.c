/*
 * hello: print a greeting and the arguments it was given.
 */
#include <vidport.h>

int main(int argc, char **argv)
{
    printf("hello from pid %d:", getpid());
    for (int i = 1; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    return 0;
}
