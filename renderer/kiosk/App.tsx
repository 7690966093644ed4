/**
 * The citizen kiosk. Two layers: the terminal's data (info, devices, menu, search index)
 * loads once and holds nothing personal; the citizen's layer (who is signed in, where
 * they are, what they chose) is remounted from scratch by the idle timeout, sign-out, a
 * host reset or a crash, which is how every personal value leaves memory and the DOM.
 */
import { lazy, startTransition, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api.ts';
import { setLang } from '../i18n/index.ts';
import { LangSwitch } from '../i18n/LangSwitch.tsx';
import type { HomeMenu, ItemSummary } from '../../protocol/ui/domains/catalogue.ts';
import type { DeviceHealth, KioskInfo, TerminalServiceView } from '../../protocol/ui/domains/kiosk.ts';
import type { CardValidity, SeniorService, SessionPerson } from '../../protocol/ui/domains/session.ts';
import type { KioskHomeBoot } from '../../protocol/ui/prerender.ts';
import type { SearchIndex } from './search/index.ts';
import { KioskContext, availability, type ItemName, type KioskState, type Screen } from './state.tsx';
import { ErrorBoundary } from './parts/ErrorBoundary.tsx';
import { IdleGuard } from './parts/IdleGuard.tsx';
import { OutOfService, SelfServiceHours } from './parts/OutOfService.tsx';
import { KIOSK_READY_EVENT } from './early-taps.ts';
import { Reminders } from './parts/Reminders.tsx';
import { Home } from './screens/Home.tsx';
import { startWatchdog } from './watchdog.ts';
import { startSpeechPlayer } from '../shared/speech.ts';
import { HelpButton } from '../shared/HelpButton.tsx';
import { whenSettled } from '../shared/when-settled.ts';
import { usePendingList } from './pending.ts';

// pinyin-pro's dictionary is most of the page's weight: it loads in its own chunk, after the menu is up.
// Only the home screen is in the page's first script; every other screen is fetched when first opened.
const ItemList = lazy(() => import('./screens/ItemList.tsx').then((m) => ({ default: m.ItemList })));
const Guide = lazy(() => import('./screens/Guide.tsx').then((m) => ({ default: m.Guide })));
const QuestionnaireScreen = lazy(() => import('./screens/Questionnaire.tsx').then((m) => ({ default: m.QuestionnaireScreen })));
const SearchScreen = lazy(() => import('./screens/Search.tsx').then((m) => ({ default: m.SearchScreen })));
const RatingScreen = lazy(() => import('./screens/Rating.tsx').then((m) => ({ default: m.RatingScreen })));
// Booking and the ticket are a minority of visits; their screens stay out of the home page's bundle.
const TicketScreen = lazy(() => import('./screens/Ticket.tsx').then((m) => ({ default: m.TicketScreen })));
const BookingScreen = lazy(() => import('./screens/Booking.tsx').then((m) => ({ default: m.BookingScreen })));
const CheckInScreen = lazy(() => import('./screens/CheckIn.tsx').then((m) => ({ default: m.CheckInScreen })));
const RecordsScreen = lazy(() => import('./screens/Records.tsx').then((m) => ({ default: m.RecordsScreen })));
const AppointmentsScreen = lazy(() => import('./screens/Appointments.tsx').then((m) => ({ default: m.AppointmentsScreen })));
const IdCopyScreen = lazy(() => import('./screens/IdCopy.tsx').then((m) => ({ default: m.IdCopyScreen })));
const BundleList = lazy(() => import('./screens/Bundle.tsx').then((m) => ({ default: m.BundleList })));
const BundleScreen = lazy(() => import('./screens/Bundle.tsx').then((m) => ({ default: m.BundleScreen })));
const PendingScreen = lazy(() => import('./screens/Pending.tsx').then((m) => ({ default: m.PendingScreen })));
const CaseProgressScreen = lazy(() => import('./screens/CaseProgress.tsx').then((m) => ({ default: m.CaseProgressScreen })));
const PreReviewScreen = lazy(() => import('./screens/PreReview.tsx').then((m) => ({ default: m.PreReviewScreen })));

interface TerminalData {
  info: KioskInfo | null;
  /** Whether the terminal serves now by its own hours; pushed when it opens or closes. */
  service: TerminalServiceView | null;
  devices: DeviceHealth[];
  home: HomeMenu | null;
  index: SearchIndex | null;
  names: Map<string, ItemName>;
  error: boolean;
  /** Asks for the whole catalogue and the search index now (a screen past home opened before the page settled). */
  requestCatalogue(): void;
}

/**
 * `boot` is what the host rendered the home screen from: starting from it, the first
 * render is the served markup, which hydration then takes over unchanged.
 */
function useTerminalData(boot: KioskHomeBoot | null): TerminalData {
  const [info, setInfo] = useState<KioskInfo | null>(boot?.info ?? null);
  const [service, setService] = useState<TerminalServiceView | null>(boot?.info.service ?? null);
  const [devices, setDevices] = useState<DeviceHealth[]>(boot?.info.devices ?? []);
  const [home, setHome] = useState<HomeMenu | null>(boot?.home ?? null);
  const [index, setIndex] = useState<SearchIndex | null>(null);
  const [summaries, setSummaries] = useState<ItemSummary[]>([]);
  const [error, setError] = useState(false);
  const [version, setVersion] = useState(0);
  const [wantCatalogue, setWantCatalogue] = useState(false);

  useEffect(() => {
    let live = true;
    // Fresh data is not urgent: as a transition React renders it in slices, never blocking a touch.
    const loadHome = () => api.call('catalogue.home', {}).then((h) => live && startTransition(() => setHome(h)), () => live && setError(true));
    // A served page already shows the menu it was served with; it asks again only when the
    // configuration has changed since (the whole menu is some 450 KB to parse).
    const served = boot !== null && version === 0;
    if (!served) void loadHome();
    api.call('kiosk.info', {}).then((i) => {
      if (!live) return;
      startTransition(() => {
        setInfo(i);
        setDevices(i.devices);
        setService(i.service);
      });
      if (served && i.configVersion !== boot.info.configVersion) void loadHome();
    }, () => live && setError(true));
    return () => {
      live = false;
    };
  }, [version]);

  // The catalogue's summaries and the search index (pinyin dictionary and all) are no part
  // of the first screen: they are fetched and built once the page has settled, in slices,
  // or at once when a screen past home opens.
  useEffect(() => whenSettled(() => setWantCatalogue(true)), []);
  useEffect(() => {
    if (!wantCatalogue) return;
    let live = true;
    api.call('catalogue.summaries', {}).then(async (s) => {
      if (!live) return;
      setSummaries(s);
      const { SearchIndex } = await import('./search/index.ts');
      const idx = await SearchIndex.buildAsync(s);
      if (!live) return;
      setIndex(idx);
      // Read by bench/kiosk-tti.ts: when search is ready, beside when the menu is interactive.
      performance.mark('kiosk:search-ready');
    }, () => live && setError(true));
    return () => {
      live = false;
    };
  }, [version, wantCatalogue]);

  useEffect(() => {
    const offs = [
      api.on('kiosk.devices', setDevices),
      api.on('kiosk.service', setService),
      api.on('kiosk.config', () => setVersion((v) => v + 1)),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  const names = useMemo(() => {
    const m = new Map<string, ItemName>();
    const named = (s: ItemSummary): ItemName => ({ name: s.name, nameEn: s.nameEn, department: s.department });
    for (const s of summaries) m.set(s.code, named(s));
    if (home) for (const s of Object.values(home.items)) m.set(s.code, named(s));
    return m;
  }, [summaries, home]);

  const requestCatalogue = useCallback(() => setWantCatalogue(true), []);
  return { info, service, devices, home, index, names, error, requestCatalogue };
}

export function App({ boot = null }: { boot?: KioskHomeBoot | null }) {
  const data = useTerminalData(boot);
  const [generation, setGeneration] = useState(0);
  const wipe = useCallback(() => {
    // Nothing personal is ever written to storage; clearing it anyway covers any library that might.
    try {
      sessionStorage.clear();
      localStorage.clear();
    } catch {
      /* storage may be disabled in a locked-down kiosk profile */
    }
    setLang('zh');
    setGeneration((g) => g + 1);
  }, []);

  // The script has taken over the screen (hydrated or drawn it): read by the end-to-end tests.
  useEffect(() => {
    performance.mark('kiosk:ready');
    // Told as an event too: a tap held before takeover waits for it (early-taps.ts), and an
    // event reaches it whatever the page's clock is (tests install a fake one).
    window.dispatchEvent(new Event(KIOSK_READY_EVENT));
  }, []);
  useEffect(() => api.on('kiosk.reset', wipe), [wipe]);
  useEffect(() => startWatchdog(), []);
  const speech = useRef<ReturnType<typeof startSpeechPlayer> | null>(null);
  useEffect(() => {
    speech.current = startSpeechPlayer();
    return () => speech.current?.stop();
  }, []);
  // A wiped kiosk says nothing more about the citizen who left.
  useEffect(() => speech.current?.silence(), [generation]);

  return (
    <ErrorBoundary key={generation} onReset={wipe}>
      <CitizenLayer data={data} onWipe={wipe} />
    </ErrorBoundary>
  );
}

function CitizenLayer({ data, onWipe }: { data: TerminalData; onWipe: () => void }) {
  const { t, i18n } = useTranslation();
  const [person, setPerson] = useState<SessionPerson | null>(null);
  const [card, setCard] = useState<CardValidity | null>(null);
  const [senior, setSenior] = useState<SeniorService | null>(null);
  const [elderly, setElderly] = useState(false);
  const [history, setHistory] = useState<Screen[]>([{ name: 'home' }]);
  const [cardError, setCardError] = useState(false);
  const pending = usePendingList(person);
  const screen = history[history.length - 1];
  const screenRef = useRef(screen.name);
  screenRef.current = screen.name;
  const { requestCatalogue } = data;
  useEffect(() => {
    if (screen.name !== 'home') requestCatalogue();
  }, [screen.name, requestCatalogue]);

  useEffect(() => {
    api.call('session.get', {}).then((s) => {
      setPerson(s.person);
      setCard(s.card);
      setSenior(s.senior);
    }, () => {});
    const offs = [
      api.on('session.changed', (s) => {
        setPerson(s.person);
        setCard(s.card);
        setSenior(s.senior);
        if (s.person) setCardError(false);
      }),
      api.on('session.cardError', () => setCardError(true)),
    ];
    return () => offs.forEach((off) => off());
  }, []);

  useEffect(() => {
    const beat = () => void api.call('kiosk.heartbeat', { screen: screenRef.current }).catch(() => {});
    beat();
    const timer = setInterval(beat, 5000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    document.documentElement.classList.toggle('elderly', elderly);
  }, [elderly]);

  const signOut = useCallback(
    async (reason: 'user' | 'idle') => {
      await api.call('session.signOut', { reason }).catch(() => {});
      onWipe();
    },
    [onWipe],
  );

  const state: KioskState = {
    ...data,
    person,
    card,
    senior,
    elderly,
    pending,
    screen,
    go: (s) => setHistory((h) => [...h, s].slice(-30)),
    replace: (s) => setHistory((h) => [...h.slice(0, -1), s]),
    back: () => setHistory((h) => (h.length > 1 ? h.slice(0, -1) : h)),
    goHome: () => setHistory([{ name: 'home' }]),
    speak: (text) => {
      if (!elderly || !data.info?.tts || !text.trim()) return;
      void api.call('kiosk.speak', { text: text.slice(0, 500), lang: i18n.language === 'en' ? 'en' : 'zh' }).catch(() => {});
    },
  };

  const reader = availability(data.devices, 'idcard');
  const hallName = (i18n.language === 'en' ? data.home?.hallNameEn : undefined) ?? data.home?.hallName ?? data.info?.hallName ?? '';

  return (
    <KioskContext.Provider value={state}>
      <div className="kiosk-frame">
        <header className="topbar">
          <button className="brand" onClick={state.goHome} aria-label={t('home')}>
            <span className="logo" aria-hidden>今</span>
            <span className="hall-name">{hallName}</span>
          </button>
          {data.service?.selfService && <SelfServiceHours service={data.service} />}
          <div className="topbar-actions">
            {person ? (
              <div className="person" data-testid="person">
                <span className="person-name">{person.maskedName}</span>
                <span className="person-id">{person.maskedId}</span>
                <button onClick={() => void signOut('user')} data-testid="sign-out">{t('signOut')}</button>
              </div>
            ) : (
              <span className={`signin-hint ${reader.ok ? '' : 'unavailable'}`} data-testid="signin-hint">
                {reader.ok ? t('signInHint') : `${t('readerUnavailable')}`}
              </span>
            )}
            <button onClick={() => setElderly((e) => !e)} aria-pressed={elderly} data-testid="elderly-toggle">
              {elderly ? t('elderlyOff') : t('elderlyOn')}
            </button>
            <LangSwitch />
          </div>
        </header>
        {cardError && (
          <div className="toast" role="alert" onClick={() => setCardError(false)}>
            {t('cardError')}
          </div>
        )}
        {person && <Reminders key={person.since} />}
        <main className="screen" data-screen={screen.name}>
          {data.error && !data.home ? (
            <p role="alert" className="notice">{t('loadFailed')}</p>
          ) : data.service && !data.service.open ? (
            <OutOfService service={data.service} />
          ) : (
            <Suspense fallback={<p className="notice">{t('loading')}</p>}>
              <ScreenView screen={screen} />
            </Suspense>
          )}
        </main>
        <HelpButton screen={screen.name} />
        <IdleGuard
          active={screen.name !== 'home' || person !== null || pending.entries.length > 0}
          timeoutSeconds={data.info?.idleTimeoutSeconds ?? 60}
          countdownSeconds={data.info?.idleCountdownSeconds ?? 10}
          onTimeout={() => void signOut('idle')}
        />
      </div>
    </KioskContext.Provider>
  );
}

function ScreenView({ screen }: { screen: Screen }) {
  switch (screen.name) {
    case 'home':
      return <Home />;
    case 'search':
      return <SearchScreen />;
    case 'list':
      return <ItemList title={screen.title} codes={screen.codes} />;
    case 'guide':
      return <Guide key={`${screen.code}/${screen.caseCode ?? ''}`} code={screen.code} caseCode={screen.caseCode} />;
    case 'questionnaire':
      return <QuestionnaireScreen key={`${screen.code}/${screen.caseCode ?? ''}`} code={screen.code} caseCode={screen.caseCode} />;
    case 'rating':
      return <RatingScreen itemCode={screen.itemCode} subject={screen.subject} />;
    case 'ticket':
      return (
        <TicketScreen key={screen.taken?.ticket.id ?? 'new'} code={screen.code} caseCode={screen.caseCode} groupId={screen.groupId} title={screen.title} taken={screen.taken} />
      );
    case 'check-in':
      return <CheckInScreen />;
    case 'booking':
      return <BookingScreen code={screen.code} title={screen.title} />;
    case 'appointments':
      return <AppointmentsScreen />;
    case 'records':
      return <RecordsScreen key={screen.kind ?? 'menu'} kind={screen.kind} />;
    case 'id-copy':
      return <IdCopyScreen />;
    case 'bundles':
      return <BundleList />;
    case 'bundle':
      return <BundleScreen key={screen.id} id={screen.id} />;
    case 'pending':
      return <PendingScreen />;
    case 'cases':
      return <CaseProgressScreen />;
    case 'prereview':
      return <PreReviewScreen key={`${screen.code}/${screen.caseCode ?? ''}`} code={screen.code} caseCode={screen.caseCode} />;
  }
}
