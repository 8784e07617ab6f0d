# Save a workbook as a password-protected .xlsx with LibreOffice (python3-uno; run with /usr/bin/python3).
# usage: /usr/bin/python3 lo-encrypt.py IN OUT.xlsx PASSWORD
import subprocess, sys, time, os, uno
from com.sun.star.beans import PropertyValue, NamedValue
def pv(n, v):
    p = PropertyValue(); p.Name = n; p.Value = v; return p
src, dst, pw = [os.path.abspath(a) for a in sys.argv[1:3]] + [sys.argv[3]]
proc = subprocess.Popen(['soffice', '--headless', '--invisible', '--norestore', '--accept=socket,host=127.0.0.1,port=2002;urp;'])
ctx = None
resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext('com.sun.star.bridge.UnoUrlResolver', uno.getComponentContext())
for _ in range(60):
    try:
        ctx = resolver.resolve('uno:socket,host=127.0.0.1,port=2002;urp;StarOffice.ComponentContext'); break
    except Exception:
        time.sleep(0.5)
desktop = ctx.ServiceManager.createInstanceWithContext('com.sun.star.frame.Desktop', ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), '_blank', 0, (pv('Hidden', True),))
uno.invoke(doc, 'storeToURL', (uno.systemPathToFileUrl(dst), (pv('FilterName', 'Calc MS Excel 2007 XML'), pv('EncryptionData', uno.Any('[]com.sun.star.beans.NamedValue', (NamedValue('OOXPassword', pw),))))))
doc.close(True)
try: desktop.terminate()
except Exception: pass
proc.wait(timeout=30)
print('wrote', dst)
