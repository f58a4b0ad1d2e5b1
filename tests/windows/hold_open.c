/* hold_open.exe SOURCE TARGET SECONDS: does what Word does with a document it has open. It
 * creates TARGET with SOURCE's bytes, keeps it open for writing while sharing only reading (no
 * FILE_SHARE_WRITE, no FILE_SHARE_DELETE: nobody may move or delete it), waits SECONDS and closes
 * it without writing again. Built by wine_env.py at test time with mingw-w64. Exit code 0 when
 * every step worked, 1 otherwise (the Win32 error is printed). */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int wmain(int argc, wchar_t** argv) {
  if (argc != 4) {
    fwprintf(stderr, L"usage: hold_open SOURCE TARGET SECONDS\n");
    return 2;
  }
  static char bytes[1 << 20];
  DWORD got = 0;
  HANDLE in = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (in == INVALID_HANDLE_VALUE || !ReadFile(in, bytes, sizeof bytes, &got, NULL)) {
    fwprintf(stderr, L"cannot read %ls: %lu\n", argv[1], GetLastError());
    return 1;
  }
  CloseHandle(in);
  HANDLE out = CreateFileW(argv[2], GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_NEW,
                           FILE_ATTRIBUTE_NORMAL, NULL);
  DWORD put = 0;
  if (out == INVALID_HANDLE_VALUE || !WriteFile(out, bytes, got, &put, NULL) || put != got ||
      !FlushFileBuffers(out)) {
    fwprintf(stderr, L"cannot write %ls: %lu\n", argv[2], GetLastError());
    return 1;
  }
  Sleep((DWORD)wcstoul(argv[3], NULL, 10) * 1000);
  CloseHandle(out);
  return 0;
}
