# Code size of a WebAssembly module by crate and by function family, from its name section
# (use the module before wasm-opt: target/front/wasm32-unknown-unknown/wasm-release/app.wasm).
# python3 bench/wasm-sizes.py MODULE [crates] [regex] [families]
import sys, re, collections, subprocess
data = open(sys.argv[1],'rb').read()
def leb(b, i):
    r=s=0
    while True:
        x=b[i]; i+=1; r|=(x&0x7f)<<s; s+=7
        if x<0x80: return r,i
assert data[:4]==b'\0asm'
i=8; secs=[]
while i < len(data):
    sid=data[i]; i+=1; sz,i=leb(data,i); secs.append((sid,i,sz)); i+=sz
nimports=0; code=[]; names={}
for sid,off,sz in secs:
    if sid==2:
        j=off; n,j=leb(data,j)
        for _ in range(n):
            l,j=leb(data,j); j+=l; l,j=leb(data,j); j+=l
            k=data[j]; j+=1
            if k==0: _,j=leb(data,j); nimports+=1
            elif k==1: j+=1; f=data[j]; j+=1; _,j=leb(data,j); j= leb(data,j)[1] if f&1 else j
            elif k==2: f=data[j]; j+=1; _,j=leb(data,j); j= leb(data,j)[1] if f&1 else j
            elif k==3: j+=2
            elif k==4: j+=1; _,j=leb(data,j)
    elif sid==10:
        j=off; n,j=leb(data,j)
        for _ in range(n):
            l,j=leb(data,j); code.append(l); j+=l
    elif sid==0:
        j=off; l,j=leb(data,j); nm=data[j:j+l]; j+=l
        if nm==b'name':
            end=off+sz
            while j<end:
                t=data[j]; j+=1; l,j=leb(data,j); e=j+l
                if t==1:
                    n,k=leb(data,j)
                    for _ in range(n):
                        idx,k=leb(data,k); sl,k=leb(data,k); names[idx]=data[k:k+sl].decode('utf8','replace'); k+=sl
                j=e
    print_secs = False
tot=sum(code)
print("code bytes", tot, "functions", len(code), "imports", nimports)
ds = {sid: sz for sid,off,sz in secs if sid==11}
print("data section", ds)
# demangle
allnames=[names.get(nimports+k,'?') for k in range(len(code))]
dem = subprocess.run(['rustfilt'] if False else ['c++filt'], input='\n'.join(allnames), capture_output=True, text=True).stdout.split('\n')
def crate(n):
    n=n.lstrip('<&*( ')
    n=re.sub(r'^(impl |dyn |mut |const )','',n).lstrip('<&*( ')
    m=re.match(r'([A-Za-z_][A-Za-z0-9_]*)',n)
    return m.group(1) if m else n[:20]
agg=collections.Counter(); cnt=collections.Counter()
for k,sz in enumerate(code):
    c=crate(dem[k]); agg[c]+=sz; cnt[c]+=1
for c,s in agg.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 40):
    print(f"{s:9d} {100*s/tot:5.1f}% {cnt[c]:6d} {c}")
if len(sys.argv)>3:
    pat=re.compile(sys.argv[3]); rows=[(code[k],dem[k]) for k in range(len(code)) if pat.search(dem[k])]
    rows.sort(reverse=True); print(sum(r[0] for r in rows), len(rows))
    for s,n in rows[:60]: print(s, n[:200])
if len(sys.argv)>4:
    fam=collections.Counter(); fc=collections.Counter()
    for k,sz in enumerate(code):
        n=re.sub(r'::h[0-9a-f]{16}$','',dem[k])
        n=re.sub(r'<[^<>]*>','<>',n); n=re.sub(r'<[^<>]*>','<>',n); n=re.sub(r'<[^<>]*>','<>',n)
        fam[n[:150]]+=sz; fc[n[:150]]+=1
    for n,s in fam.most_common(int(sys.argv[4])): print(f"{s:8d} {fc[n]:5d} {n}")
