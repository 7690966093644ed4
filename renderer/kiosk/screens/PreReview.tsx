/**
 * AI 预审: the citizen shows each material of the item to the document camera. A frame
 * guide shows where the page goes; the picture is taken by itself once the page lies still
 * and sharp (or with 立即拍摄), sent to the host to be read, and the verdict for every
 * material comes back in words, with 重拍 for a page that did not read. Fields read off the
 * pages are shown filled in for the citizen to check before finishing. Nothing is kept here
 * once the screen closes: the host wipes the review too. A kiosk with a flatbed/SANE scanner
 * also offers 扫描仪: the host reads the next page the scanner saves instead of a camera frame.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiCallError } from '../../shared/api.ts';
import { PAGE_CHUNK_CHARS, PREFILL_FIELDS, type PageResult, type ReviewOpened } from '../../../protocol/ui/domains/prereview.ts';
import { BackBar } from '../parts/BackBar.tsx';
import { useKiosk } from '../state.tsx';
import { base64Pieces, greyOf, PROBE_HEIGHT, PROBE_WIDTH, StillnessWatch } from '../capture.ts';

type Phase = { s: 'opening' } | { s: 'camera' } | { s: 'reading' } | { s: 'scanning' } | { s: 'read'; result: PageResult } | { s: 'confirm' } | { s: 'done'; passed: string[] } | { s: 'failed'; why: string };
const PROBE_MS = 250;

export function PreReviewScreen({ code, caseCode }: { code: string; caseCode?: string }) {
  const { t } = useTranslation();
  const k = useKiosk();
  const [review, setReview] = useState<ReviewOpened | null>(null);
  const [phase, setPhase] = useState<Phase>({ s: 'opening' });
  const [material, setMaterial] = useState<string | null>(null);
  const [latest, setLatest] = useState<PageResult | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [cameraProblem, setCameraProblem] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const reviewId = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('prereview.open', { itemCode: code, caseCode }).then(
      (r) => {
        if (!live) return void api.call('prereview.discard', { reviewId: r.reviewId }).catch(() => undefined);
        reviewId.current = r.reviewId;
        setReview(r);
        setMaterial(r.materials.find((m) => m.checkable)?.name ?? null);
        setPhase(r.materials.some((m) => m.checkable) ? { s: 'camera' } : { s: 'confirm' });
      },
      () => setPhase({ s: 'failed', why: t('prereview.openFailed') }),
    );
    return () => {
      live = false;
      stream.current?.getTracks().forEach((tr) => tr.stop());
      // Leaving the screen any way but 完成 ends the review and wipes what was read.
      if (reviewId.current) void api.call('prereview.discard', { reviewId: reviewId.current }).catch(() => undefined);
    };
  }, [code, caseCode]);

  const camera = phase.s === 'camera';
  useEffect(() => {
    if (!camera) return;
    let stopped = false;
    const watch = new StillnessWatch();
    const probe = document.createElement('canvas');
    probe.width = PROBE_WIDTH;
    probe.height = PROBE_HEIGHT;
    const ctx = probe.getContext('2d', { willReadFrequently: true })!;
    let timer: ReturnType<typeof setInterval> | null = null;
    (async () => {
      try {
        stream.current ??= await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false });
      } catch {
        setCameraProblem(true);
        return;
      }
      if (stopped || !video.current) return;
      video.current.srcObject = stream.current;
      await video.current.play().catch(() => undefined);
      timer = setInterval(() => {
        const v = video.current;
        if (!v || v.readyState < 2) return;
        ctx.drawImage(v, 0, 0, PROBE_WIDTH, PROBE_HEIGHT);
        if (watch.check(greyOf(ctx.getImageData(0, 0, PROBE_WIDTH, PROBE_HEIGHT).data), PROBE_WIDTH, PROBE_HEIGHT).take) void capture();
      }, PROBE_MS);
    })();
    return () => {
      stopped = true;
      if (timer) clearInterval(timer);
    };
  }, [camera]);

  const capture = async () => {
    const v = video.current;
    if (!v || !reviewId.current || !v.videoWidth) return;
    setPhase({ s: 'reading' });
    const canvas = document.createElement('canvas');
    canvas.width = v.videoWidth;
    canvas.height = v.videoHeight;
    canvas.getContext('2d')!.drawImage(v, 0, 0);
    const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/png'));
    canvas.width = canvas.height = 0;
    if (!blob) return setPhase({ s: 'camera' });
    try {
      const pieces = await base64Pieces(blob, PAGE_CHUNK_CHARS);
      let result: PageResult | { received: number } = { received: 0 };
      for (let i = 0; i < pieces.length; i++) {
        result = await api.call('prereview.page', { reviewId: reviewId.current, material: material ?? undefined, index: i, count: pieces.length, data: pieces[i] });
      }
      if (!('verdicts' in result)) throw new Error('incomplete');
      shown(result);
    } catch (err) {
      setPhase({ s: 'failed', why: err instanceof ApiCallError ? err.message : t('prereview.readFailed') });
    }
  };

  const shown = (result: PageResult) => {
    setLatest(result);
    setFields((cur) => ({ ...result.prefill, ...cur }));
    setPhase({ s: 'read', result });
  };

  const scan = async () => {
    if (!reviewId.current) return;
    setPhase({ s: 'scanning' });
    try {
      shown(await api.call('prereview.scan', { reviewId: reviewId.current, material: material ?? undefined }));
    } catch (err) {
      setPhase({ s: 'failed', why: err instanceof ApiCallError ? err.message : t('prereview.readFailed') });
    }
  };

  const finish = async () => {
    if (!reviewId.current) return;
    try {
      const { passed } = await api.call('prereview.finish', { reviewId: reviewId.current });
      reviewId.current = null;
      stream.current?.getTracks().forEach((tr) => tr.stop());
      setFields({});
      setPhase({ s: 'done', passed });
    } catch {
      setPhase({ s: 'failed', why: t('prereview.readFailed') });
    }
  };

  const verdicts = latest?.verdicts ?? [];
  const checkable = review?.materials.filter((m) => m.checkable) ?? [];
  const nextMaterial = () => {
    const i = checkable.findIndex((m) => m.name === material);
    setMaterial(checkable[(i + 1) % checkable.length]?.name ?? null);
    setPhase({ s: 'camera' });
  };
  const reason = (r: PageResult['verdicts'][number]['reasons'][number]) =>
    t(`prereview.reason.${r.code}`, { field: r.field ? t(`prereview.field.${r.field}`, { defaultValue: r.field }) : '', kind: r.kind ? t(`prereview.kind.${r.kind}`) : '', date: r.date ?? '' });

  return (
    <div className="prereview" data-testid="prereview">
      <BackBar title={review ? t('prereview.title', { item: review.itemName }) : t('prereview.titlePlain')} />
      {phase.s === 'opening' && <p className="notice">{t('loading')}</p>}
      {phase.s === 'failed' && (
        <div className="notice" role="alert">
          <p>{phase.why}</p>
          <button className="primary big" onClick={() => setPhase({ s: 'camera' })}>{t('prereview.retake')}</button>
        </div>
      )}
      {(phase.s === 'camera' || phase.s === 'reading') && (
        <section className="camera">
          <p className="prompt" data-testid="prereview-prompt">{material ? t('prereview.show', { material }) : t('prereview.showAny')}</p>
          {cameraProblem ? (
            <p className="notice" role="alert">{t(review?.scanner ? 'prereview.noCameraUseScanner' : 'prereview.noCamera')}</p>
          ) : (
            <div className="viewfinder">
              <video ref={video} muted playsInline data-testid="prereview-video" />
              <div className="frame-guide" aria-hidden="true" />
            </div>
          )}
          {phase.s === 'reading' ? (
            <p className="notice" data-testid="prereview-reading">{t('prereview.reading')}</p>
          ) : (
            <p className="hint">
              {t('prereview.hint')} <button onClick={() => void capture()} data-testid="prereview-shoot">{t('prereview.shootNow')}</button>
              {review?.scanner && <button onClick={() => void scan()} data-testid="prereview-scan">{t('prereview.scanner')}</button>}
            </p>
          )}
        </section>
      )}
      {phase.s === 'scanning' && (
        <section className="camera" data-testid="prereview-scanning">
          <p className="prompt">{material ? t('prereview.scanShow', { material }) : t('prereview.scanShowAny')}</p>
          <p className="notice">{t('prereview.scanWaiting')}</p>
        </section>
      )}
      {phase.s === 'read' && (
        <section className="page-result" data-testid="prereview-page">
          <p>{phase.result.kind === 'unknown' ? t('prereview.unknownPage') : t('prereview.pageIs', { kind: t(`prereview.kind.${phase.result.kind}`) })}</p>
          <div className="actions">
            <button className="big" data-testid="prereview-retake" onClick={() => setPhase({ s: 'camera' })}>{t('prereview.retake')}</button>
            {checkable.length > 1 && <button className="big" onClick={nextMaterial}>{t('prereview.nextMaterial')}</button>}
            <button className="primary big" data-testid="prereview-check" onClick={() => setPhase({ s: 'confirm' })}>{t('prereview.toConfirm')}</button>
          </div>
        </section>
      )}
      {(phase.s === 'read' || phase.s === 'confirm') && (
        <section>
          <h2>{t('prereview.verdicts')}</h2>
          <ul className="verdicts" data-testid="prereview-verdicts">
            {(verdicts.length ? verdicts : (review?.materials ?? []).map((m) => ({ name: m.name, required: m.required, status: m.checkable ? 'missing' : 'not-checked', reasons: [] }))).map((v) => (
              <li key={v.name} data-status={v.status} data-material={v.name}>
                <strong>{v.name}</strong> <span className={`status ${v.status}`}>{t(`prereview.status.${v.status}`)}</span>
                {v.reasons.map((r, i) => <small key={i} className="reason">{reason(r)}</small>)}
                {v.status !== 'present' && v.status !== 'not-checked' && checkable.some((m) => m.name === v.name) && (
                  <button onClick={() => { setMaterial(v.name); setPhase({ s: 'camera' }); }}>{t('prereview.showThis')}</button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {phase.s === 'confirm' && (
        <section data-testid="prereview-confirm">
          <h2>{t('prereview.prefillTitle')}</h2>
          <p className="hint">{t('prereview.prefillHint')}</p>
          <div className="prefill">
            {PREFILL_FIELDS.filter((f) => fields[f] !== undefined).map((f) => (
              <label key={f}>
                {t(`prereview.prefill.${f}`)}
                <input data-field={f} value={fields[f]} onChange={(e) => setFields({ ...fields, [f]: e.target.value })} />
              </label>
            ))}
          </div>
          <button className="primary big" data-testid="prereview-finish" onClick={() => void finish()}>{t('prereview.finish')}</button>
        </section>
      )}
      {phase.s === 'done' && (
        <section data-testid="prereview-done">
          <p>{t('prereview.done', { count: phase.passed.length })}</p>
          <button className="primary big" onClick={() => k.back()}>{t('prereview.backToGuide')}</button>
        </section>
      )}
    </div>
  );
}
