/* service_control.exe NAME CODE: sends one control code to a service, like `sc control` on
 * Windows (wine's sc.exe has no `control`). Built by wine_env.py at test time with mingw-w64;
 * used to inject the watcher overflow (user control 128) into the running Vakt service.
 * Exit code 0 when the service accepted the control, 1 otherwise (the Win32 error is printed). */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

int wmain(int argc, wchar_t** argv) {
  if (argc != 3) {
    fwprintf(stderr, L"usage: service_control NAME CODE\n");
    return 2;
  }
  DWORD code = (DWORD)wcstoul(argv[2], NULL, 10);
  DWORD access = code >= 128 ? SERVICE_USER_DEFINED_CONTROL : SERVICE_PAUSE_CONTINUE;
  SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
  if (scm == NULL) {
    fwprintf(stderr, L"OpenSCManagerW failed: %lu\n", GetLastError());
    return 1;
  }
  SC_HANDLE service = OpenServiceW(scm, argv[1], access | SERVICE_QUERY_STATUS);
  if (service == NULL) {
    fwprintf(stderr, L"OpenServiceW(%ls) failed: %lu\n", argv[1], GetLastError());
    CloseServiceHandle(scm);
    return 1;
  }
  SERVICE_STATUS status;
  BOOL ok = ControlService(service, code, &status);
  DWORD error = ok ? 0 : GetLastError();
  if (ok) {
    wprintf(L"control %lu sent; state %lu\n", code, status.dwCurrentState);
  } else {
    fwprintf(stderr, L"ControlService(%lu) failed: %lu\n", code, error);
  }
  CloseServiceHandle(service);
  CloseServiceHandle(scm);
  return ok ? 0 : 1;
}
