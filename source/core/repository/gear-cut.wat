;; Gear-hash chunk boundary search (see chunker.ts). Memory: gear table (256 x u32) at 0,
;; file data from 1024 on; start/end are addresses. Returns the end of the chunk that starts at
;; `start`, or -1 when more data is needed and `final` is 0. Regenerate gear-cut-wasm.ts with
;; `npm run build:wasm` after editing.
(module
  (import "env" "memory" (memory 1))
  (func (export "cut")
    (param $start i32) (param $end i32) (param $min i32) (param $avg i32) (param $max i32)
    (param $strict i32) (param $loose i32) (param $final i32) (result i32)
    (local $i i32) (local $h i32) (local $limit i32) (local $normal i32)
    ;; Too little left to cut: the rest is one chunk at the end, otherwise wait for data.
    (if (i32.le_u (i32.sub (local.get $end) (local.get $start)) (local.get $min))
      (then (return (select (local.get $end) (i32.const -1) (local.get $final)))))
    (local.set $limit (i32.add (local.get $start) (local.get $max)))
    (if (i32.lt_u (local.get $end) (local.get $limit)) (then (local.set $limit (local.get $end))))
    (local.set $normal (i32.add (local.get $start) (local.get $avg)))
    (if (i32.lt_u (local.get $limit) (local.get $normal)) (then (local.set $normal (local.get $limit))))
    (local.set $i (i32.add (local.get $start) (local.get $min)))
    ;; Before the average size: the stricter mask.
    (block $done1
      (loop $scan1
        (br_if $done1 (i32.ge_u (local.get $i) (local.get $normal)))
        (local.set $h (i32.add (i32.shl (local.get $h) (i32.const 1))
          (i32.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eqz (i32.and (local.get $h) (local.get $strict))) (then (return (local.get $i))))
        (br $scan1)))
    ;; After it: the looser mask.
    (block $done2
      (loop $scan2
        (br_if $done2 (i32.ge_u (local.get $i) (local.get $limit)))
        (local.set $h (i32.add (i32.shl (local.get $h) (i32.const 1))
          (i32.load (i32.shl (i32.load8_u (local.get $i)) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.eqz (i32.and (local.get $h) (local.get $loose))) (then (return (local.get $i))))
        (br $scan2)))
    (if (i32.eq (local.get $limit) (i32.add (local.get $start) (local.get $max)))
      (then (return (local.get $limit))))
    (select (local.get $end) (i32.const -1) (local.get $final))))
