/* The store screen: idle, scan (keyboard-wedge scanner, typed code, camera), product view.
 *
 * Plain script, no build step. The screen token comes once in the enrolment link's fragment
 * (#enrol=...) and is kept in this device's localStorage; every read sends it as a bearer
 * token. The last products viewed are kept too, so that they still show when the server is
 * out of reach.
 */
(function () {
  "use strict";

  var body = document.body;
  var config = {
    store: body.dataset.store,
    sessionUrl: body.dataset.sessionUrl,
    productUrl: body.dataset.productUrl,
    idleMs: Math.max(1, parseInt(body.dataset.idleSeconds, 10) || 60) * 1000,
    careUrl: body.dataset.careUrl,
    scannerScript: body.dataset.scannerScript,
    scannerWasm: body.dataset.scannerWasm,
  };
  var TOKEN_KEY = "pim-screen-token:" + config.store;
  var SESSION_KEY = "pim-screen-session:" + config.store;
  var RECENT_KEY = "pim-screen-recent:" + config.store;
  var RECENT_MAX = 12;

  var LABELS = {
    en: {
      scanTitle: "Scan a label", scanText: "Hold the barcode under the scanner, or type the product code.",
      codeLabel: "Product code", show: "Show", camera: "Scan with the camera", cancel: "Cancel",
      recent: "Recently viewed", back: "New scan", colours: "Colours", sizes: "Sizes",
      here: "In this store", market: "In another store nearby", none: "Not available",
      hereCount: "{n} in this store", marketAt: "Available at {stores}", noneAnywhere: "Not in stock in this market",
      composition: "Composition", care: "Care", fit: "Fit", sizeChart: "Size chart", size: "Size",
      description: "Description", ratings: "{n} ratings", code: "Product code", photo: "Photo {n} of {total}",
      unknownTitle: "Unknown code", unknownText: "No product has this code. Check it, or ask a member of staff.",
      unpublishedTitle: "Not shown on screens yet", unpublishedText: "This product exists but is not published for the store screens. A member of staff can help.",
      offlineTitle: "Server unreachable", offlineText: "The screen cannot reach the server. The products viewed recently are still available.",
      offlineBanner: "Offline: shown as last seen", invalidTitle: "Code not recognised",
      revokedTitle: "This screen is no longer enrolled", revokedText: "Its screen token has been revoked. Ask a content manager for a new enrolment link.",
      notEnrolledTitle: "This screen is not enrolled", notEnrolledText: "Open the enrolment link from the admin (Screen tokens) once on this screen.",
      cameraFailed: "The camera could not be opened.",
      parts: { shell: "Shell", lining: "Lining", trim: "Trim", filling: "Filling", pocketing: "Pocketing", sole: "Sole", upper: "Upper" },
      fits: { slim: "Slim", regular: "Regular", relaxed: "Relaxed", oversized: "Oversized", tailored: "Tailored", loose: "Loose", skinny: "Skinny" },
    },
    fr: {
      scanTitle: "Scannez une étiquette", scanText: "Présentez le code-barres au lecteur, ou tapez la référence.",
      codeLabel: "Référence", show: "Afficher", camera: "Scanner avec la caméra", cancel: "Annuler",
      recent: "Vus récemment", back: "Nouveau scan", colours: "Coloris", sizes: "Tailles",
      here: "Dans ce magasin", market: "Dans un autre magasin proche", none: "Indisponible",
      hereCount: "{n} dans ce magasin", marketAt: "Disponible à {stores}", noneAnywhere: "Pas en stock dans ce pays",
      composition: "Composition", care: "Entretien", fit: "Coupe", sizeChart: "Guide des tailles", size: "Taille",
      description: "Description", ratings: "{n} avis", code: "Référence", photo: "Photo {n} sur {total}",
      unknownTitle: "Code inconnu", unknownText: "Aucun produit n’a ce code. Vérifiez-le ou demandez à un vendeur.",
      unpublishedTitle: "Pas encore présenté sur les écrans", unpublishedText: "Ce produit existe mais n’est pas publié pour les écrans du magasin. Un vendeur peut vous aider.",
      offlineTitle: "Serveur injoignable", offlineText: "L’écran ne joint pas le serveur. Les produits vus récemment restent consultables.",
      offlineBanner: "Hors ligne : dernière version vue", invalidTitle: "Code non reconnu",
      revokedTitle: "Cet écran n’est plus enregistré", revokedText: "Son jeton a été révoqué. Demandez un nouveau lien d’enregistrement.",
      notEnrolledTitle: "Cet écran n’est pas enregistré", notEnrolledText: "Ouvrez une fois sur cet écran le lien d’enregistrement créé dans l’admin.",
      cameraFailed: "La caméra n’a pas pu être ouverte.",
      parts: { shell: "Tissu principal", lining: "Doublure", trim: "Garniture", filling: "Rembourrage", pocketing: "Poches", sole: "Semelle", upper: "Tige" },
      fits: { slim: "Ajustée", regular: "Classique", relaxed: "Décontractée", oversized: "Oversize", tailored: "Cintrée", loose: "Ample", skinny: "Skinny" },
    },
    pl: {
      scanTitle: "Zeskanuj metkę", scanText: "Przyłóż kod kreskowy do czytnika lub wpisz kod produktu.",
      codeLabel: "Kod produktu", show: "Pokaż", camera: "Skanuj aparatem", cancel: "Anuluj",
      recent: "Ostatnio oglądane", back: "Nowy skan", colours: "Kolory", sizes: "Rozmiary",
      here: "W tym sklepie", market: "W innym sklepie w pobliżu", none: "Niedostępny",
      hereCount: "{n} w tym sklepie", marketAt: "Dostępny w: {stores}", noneAnywhere: "Brak w tym kraju",
      composition: "Skład", care: "Pielęgnacja", fit: "Krój", sizeChart: "Tabela rozmiarów", size: "Rozmiar",
      description: "Opis", ratings: "Opinie: {n}", code: "Kod produktu", photo: "Zdjęcie {n} z {total}",
      unknownTitle: "Nieznany kod", unknownText: "Żaden produkt nie ma tego kodu. Sprawdź go lub zapytaj obsługę.",
      unpublishedTitle: "Jeszcze nie na ekranach", unpublishedText: "Ten produkt istnieje, ale nie jest opublikowany na ekranach sklepu. Obsługa pomoże.",
      offlineTitle: "Brak połączenia z serwerem", offlineText: "Ekran nie łączy się z serwerem. Ostatnio oglądane produkty są nadal dostępne.",
      offlineBanner: "Offline: ostatnio widziana wersja", invalidTitle: "Nierozpoznany kod",
      revokedTitle: "Ten ekran nie jest już zarejestrowany", revokedText: "Jego token został unieważniony. Poproś o nowy link rejestracyjny.",
      notEnrolledTitle: "Ten ekran nie jest zarejestrowany", notEnrolledText: "Otwórz raz na tym ekranie link rejestracyjny z panelu administracyjnego.",
      cameraFailed: "Nie udało się uruchomić aparatu.",
      parts: { shell: "Materiał zasadniczy", lining: "Podszewka", trim: "Wykończenie", filling: "Wypełnienie", pocketing: "Kieszenie", sole: "Podeszwa", upper: "Cholewka" },
      fits: { slim: "Dopasowany", regular: "Klasyczny", relaxed: "Luźny", oversized: "Oversize", tailored: "Taliowany", loose: "Swobodny", skinny: "Obcisły" },
    },
    "zh-hans": {
      scanTitle: "扫描标签", scanText: "将条形码对准扫描器，或输入商品编号。",
      codeLabel: "商品编号", show: "显示", camera: "用摄像头扫描", cancel: "取消",
      recent: "最近浏览", back: "重新扫描", colours: "颜色", sizes: "尺码",
      here: "本店有货", market: "附近门店有货", none: "无货",
      hereCount: "本店 {n} 件", marketAt: "{stores} 有货", noneAnywhere: "本地区无货",
      composition: "成分", care: "洗护", fit: "版型", sizeChart: "尺码表", size: "尺码",
      description: "描述", ratings: "{n} 条评价", code: "商品编号", photo: "第 {n} 张，共 {total} 张",
      unknownTitle: "未知编号", unknownText: "没有商品使用此编号。请检查或咨询店员。",
      unpublishedTitle: "尚未在屏幕上展示", unpublishedText: "该商品存在，但尚未发布到门店屏幕。店员可以为您提供帮助。",
      offlineTitle: "无法连接服务器", offlineText: "屏幕无法连接服务器。最近浏览的商品仍可查看。",
      offlineBanner: "离线：显示上次查看的内容", invalidTitle: "无法识别的编号",
      revokedTitle: "此屏幕已不再注册", revokedText: "其屏幕令牌已被撤销。请向内容经理索取新的注册链接。",
      notEnrolledTitle: "此屏幕尚未注册", notEnrolledText: "请在此屏幕上打开一次管理后台生成的注册链接。",
      cameraFailed: "无法打开摄像头。",
      parts: { shell: "面料", lining: "里料", trim: "饰边", filling: "填充物", pocketing: "袋布", sole: "鞋底", upper: "鞋面" },
      fits: { slim: "修身", regular: "常规", relaxed: "宽松", oversized: "廓形", tailored: "合身剪裁", loose: "宽大", skinny: "紧身" },
    },
  };

  var state = {
    token: null,
    session: null,
    locale: body.dataset.locale,
    defaultLocale: body.dataset.locale,
    shown: null, // {code, response}
    colourIndex: 0,
    sizeSku: null,
    idleTimer: null,
    buffer: "",
    bufferAt: 0,
    request: 0,
    camera: null,
  };
  var memory = {}; // code|locale -> response, this session
  var $ = function (id) { return document.getElementById(id); };

  function t(key, values) {
    var table = LABELS[state.locale] || LABELS.en;
    var text = table[key] !== undefined ? table[key] : LABELS.en[key];
    if (values && typeof text === "string") {
      Object.keys(values).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
    }
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function storageGet(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (error) { return null; }
  }
  function storageSet(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* full: keep memory only */ }
  }

  // Views -------------------------------------------------------------------------------
  function show(view) {
    ["idle", "product", "message", "enrol"].forEach(function (name) { $(name).hidden = name !== view; });
    body.dataset.state = view;
    if (view !== "idle") stopCamera();
    armIdle();
  }

  function applyLabels() {
    document.documentElement.lang = state.locale;
    document.querySelectorAll("[data-label]").forEach(function (node) {
      var key = node.dataset.label;
      if (key === "home") return;
      node.textContent = t(key);
    });
    renderLocales();
  }

  function renderLocales() {
    var nav = $("locales");
    nav.textContent = "";
    var locales = (state.session && state.session.locales) || [];
    if (locales.length < 2) return;
    locales.forEach(function (code) {
      var names = { en: "English", fr: "Français", pl: "Polski", "zh-hans": "中文" };
      nav.appendChild(el("button", {
        type: "button", className: "locale", "data-locale": code, lang: code,
        "aria-pressed": code === state.locale ? "true" : "false", text: names[code] || code,
      }));
    });
  }

  function banner(text) {
    var node = $("banner");
    node.textContent = text || "";
    node.hidden = !text;
  }

  function message(kind, code) {
    var titles = {
      unknown_code: ["unknownTitle", "unknownText"], not_published: ["unpublishedTitle", "unpublishedText"],
      offline: ["offlineTitle", "offlineText"], invalid: ["invalidTitle", "unknownText"],
    };
    var keys = titles[kind] || titles.invalid;
    $("message-title").textContent = t(keys[0]);
    $("message-text").textContent = t(keys[1]);
    $("message-code").textContent = code || "";
    $("message").dataset.kind = kind;
    banner("");
    show("message");
    renderRecent();
  }

  function enrolState(kind) {
    var revoked = kind === "revoked";
    $("enrol-title").textContent = t(revoked ? "revokedTitle" : "notEnrolledTitle");
    $("enrol-text").textContent = t(revoked ? "revokedText" : "notEnrolledText");
    $("enrol").dataset.kind = revoked ? "revoked" : "not-enrolled";
    banner("");
    show("enrol");
  }

  function idle() {
    state.shown = null;
    if (state.locale !== state.defaultLocale) {
      state.locale = state.defaultLocale;
      applyLabels();
    }
    $("code").value = "";
    banner("");
    show("idle");
    renderRecent();
  }

  function armIdle() {
    clearTimeout(state.idleTimer);
    if (body.dataset.state === "product" || body.dataset.state === "message") {
      state.idleTimer = setTimeout(idle, config.idleMs);
    }
  }

  // Server ------------------------------------------------------------------------------
  function get(url) {
    return fetch(url, {
      headers: { Authorization: "Bearer " + state.token, Accept: "application/json" },
      cache: "no-store", credentials: "omit",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function refused(result) {
    if (result.status !== 401) return false;
    if (result.data && result.data.code === "screen_revoked") {
      try { localStorage.removeItem(TOKEN_KEY); } catch (error) { /* ignore */ }
      enrolState("revoked");
    } else {
      enrolState("not-enrolled");
    }
    return true;
  }

  function startSession() {
    var cached = storageGet(SESSION_KEY);
    return get(config.sessionUrl).then(function (result) {
      if (refused(result)) return;
      if (result.status !== 200) { message("invalid"); return; }
      state.session = result.data;
      storageSet(SESSION_KEY, result.data);
      begin();
    }, function () {
      // Started while the server is out of reach: run on what the device remembers.
      if (!cached) { message("offline"); return; }
      state.session = cached;
      begin();
      banner(t("offlineBanner"));
    });
  }

  function begin() {
    state.defaultLocale = state.locale = state.session.locale || state.defaultLocale;
    $("home").textContent = state.session.store.name;
    applyLabels();
    setupCamera();
    idle();
  }

  function lookup(code, locale) {
    code = (code || "").trim();
    if (!code || !state.session) return;
    locale = locale || state.locale;
    var key = code.toUpperCase() + "|" + locale;
    var request = ++state.request;
    var url = config.productUrl + "?code=" + encodeURIComponent(code) + "&locale=" + encodeURIComponent(locale);
    body.dataset.loading = "true";
    get(url).then(function (result) {
      if (request !== state.request) return;
      delete body.dataset.loading;
      if (refused(result)) return;
      if (result.status === 200 && result.data.found) {
        remember(key, result.data);
        renderProduct(result.data, false);
      } else if (result.status === 200) {
        message(result.data.reason === "not_published" ? "not_published" : "unknown_code", code);
      } else {
        message("invalid", code);
      }
    }, function () {
      if (request !== state.request) return;
      delete body.dataset.loading;
      var cached = memory[key] || recall(key) || recall(code.toUpperCase() + "|", true);
      if (cached) renderProduct(cached, true);
      else message("offline", code);
    });
  }

  function remember(key, data) {
    memory[key] = data;
    var recent = (storageGet(RECENT_KEY) || []).filter(function (item) { return item.key !== key; });
    recent.unshift({ key: key, data: data });
    storageSet(RECENT_KEY, recent.slice(0, RECENT_MAX));
  }

  function recall(key, anyLocale) {
    var recent = storageGet(RECENT_KEY) || [];
    for (var i = 0; i < recent.length; i++) {
      if (anyLocale ? recent[i].key.indexOf(key) === 0 : recent[i].key === key) return recent[i].data;
    }
    return null;
  }

  function renderRecent() {
    var list = $("recent-list");
    list.textContent = "";
    var seen = {};
    (storageGet(RECENT_KEY) || []).forEach(function (item) {
      var style = item.data.product.style_code;
      if (seen[style]) return;
      seen[style] = true;
      list.appendChild(el("li", {}, [el("button", {
        type: "button", className: "recent-item", "data-code": style, text: item.data.product.name + " · " + style,
      })]));
    });
    $("recent").hidden = !list.childElementCount;
  }

  // Product -----------------------------------------------------------------------------
  // A rendition is {url, width, height} (the channel's specs name them).
  function firstRendition(photo) {
    var renditions = photo && photo.renditions ? Object.keys(photo.renditions).map(function (k) { return photo.renditions[k]; }) : [];
    var first = renditions[0];
    return first ? (typeof first === "string" ? first : first.url) : null;
  }

  function renderProduct(data, offline) {
    var product = data.product;
    if (data.locale && data.locale !== state.locale) {
      state.locale = data.locale;
      applyLabels();
    }
    var same = state.shown && state.shown.product.style_code === product.style_code;
    state.shown = data;
    if (!same) {
      state.colourIndex = 0;
      state.sizeSku = null;
      var matched = data.matched || {};
      product.colours.forEach(function (colour, index) {
        colour.variants.forEach(function (variant) {
          if ((matched.gtin && variant.gtin.replace(/^0+/, "") === matched.gtin.replace(/^0+/, "")) || (matched.sku && variant.sku === matched.sku)) {
            state.colourIndex = index;
            state.sizeSku = variant.sku;
          }
        });
      });
    }
    banner(offline ? t("offlineBanner") : "");
    drawProduct();
    show("product");
  }

  function drawProduct() {
    var data = state.shown;
    var product = data.product;
    var colour = product.colours[state.colourIndex] || product.colours[0] || { photos: [], variants: [] };
    var stock = {};
    (data.availability || []).forEach(function (item) { stock[item.sku] = item; });
    var view = $("product");
    view.textContent = "";
    view.dataset.style = product.style_code;

    var photos = colour.photos.filter(firstRendition);
    var strip = el("div", { className: "photos", id: "photos", tabindex: "0" });
    photos.forEach(function (photo, index) {
      strip.appendChild(el("figure", { className: "photo" }, [el("img", {
        src: firstRendition(photo), alt: photo.alt || product.name,
        loading: index === 0 ? "eager" : "lazy", fetchpriority: index === 0 ? "high" : null,
        decoding: "async", draggable: "false",
      })]));
    });
    var dots = el("div", { className: "dots", "aria-hidden": "true" }, photos.map(function (_, index) {
      return el("span", { className: index === 0 ? "dot current" : "dot" });
    }));
    view.appendChild(el("div", { className: "gallery" }, [strip, photos.length > 1 ? dots : null]));
    strip.addEventListener("scroll", function () {
      var index = Math.round(strip.scrollLeft / Math.max(1, strip.clientWidth));
      Array.prototype.forEach.call(dots.children, function (dot, i) { dot.classList.toggle("current", i === index); });
    }, { passive: true });
    var first = strip.querySelector("img");
    if (first) {
      var painted = function () {
        requestAnimationFrame(function () { performance.mark("screen-painted"); view.dataset.painted = product.style_code; });
      };
      if (first.complete && first.naturalWidth) painted(); else first.addEventListener("load", painted, { once: true });
    } else {
      requestAnimationFrame(function () { performance.mark("screen-painted"); view.dataset.painted = product.style_code; });
    }

    var info = el("div", { className: "info" });
    view.appendChild(info);
    info.appendChild(el("p", { className: "brand", text: product.brand ? product.brand.name : "" }));
    info.appendChild(el("h1", { className: "name", text: product.name }));
    var selected = colour.variants.filter(function (v) { return v.sku === state.sizeSku; })[0];
    info.appendChild(el("p", { className: "style-code" }, [
      el("span", { className: "label", text: t("code") }),
      el("strong", { id: "style-code", text: product.style_code }),
      selected ? el("span", { className: "sku", text: selected.sku }) : null,
    ]));
    if (product.ratings && product.ratings.count) {
      var average = Number(product.ratings.average);
      info.appendChild(el("p", { className: "ratings", id: "ratings", "aria-label": average.toFixed(1) + " / 5" }, [
        el("span", { className: "stars", text: "★★★★★".slice(0, Math.round(average)) + "☆☆☆☆☆".slice(0, 5 - Math.round(average)) }),
        el("span", { text: " " + average.toFixed(1) + " · " + t("ratings", { n: product.ratings.count }) }),
      ]));
    }

    if (product.colours.length > 1) {
      info.appendChild(el("h2", { text: t("colours") }));
      info.appendChild(el("div", { className: "choices colours" }, product.colours.map(function (c, index) {
        return el("button", {
          type: "button", className: "choice colour", "data-colour": index,
          "aria-pressed": index === state.colourIndex ? "true" : "false", text: c.name,
        });
      })));
    }

    info.appendChild(el("h2", { text: t("sizes") }));
    info.appendChild(el("div", { className: "choices sizes", id: "sizes" }, colour.variants.map(function (variant) {
      var status = (stock[variant.sku] || {}).status || "none";
      return el("button", {
        type: "button", className: "choice size " + status, "data-sku": variant.sku, "data-status": status,
        "aria-pressed": variant.sku === state.sizeSku ? "true" : "false",
      }, [el("span", { className: "size-label", text: variant.size }), el("span", { className: "size-status", text: t(status) })]);
    })));
    if (selected) {
      var item = stock[selected.sku] || { status: "none", stores: [], quantity_here: 0 };
      var text = item.status === "here" ? t("hereCount", { n: item.quantity_here })
        : item.status === "market" ? t("marketAt", { stores: item.stores.filter(function (s) { return s.quantity > 0 && s.store !== config.store; }).map(function (s) { return s.name; }).join(", ") })
        : t("noneAnywhere");
      info.appendChild(el("p", { className: "availability " + item.status, id: "availability", text: selected.size + " · " + text }));
    }

    if (product.composition && product.composition.length) {
      info.appendChild(el("h2", { text: t("composition") }));
      var parts = {};
      product.composition.forEach(function (line) { (parts[line.part] = parts[line.part] || []).push(line.percentage + " % " + line.fibre); });
      info.appendChild(el("ul", { className: "composition" }, Object.keys(parts).map(function (part) {
        return el("li", {}, [el("strong", { text: ((t("parts") || {})[part] || part) + " " }), parts[part].join(", ")]);
      })));
      if (product.material_text) info.appendChild(el("p", { className: "note", text: product.material_text }));
    }

    var symbols = product.care && product.care.symbols ? product.care.symbols : {};
    var codes = ["washing", "bleaching", "drying", "ironing", "professional"].map(function (g) { return symbols[g]; }).filter(Boolean);
    if (codes.length || (product.care && product.care.text)) {
      info.appendChild(el("h2", { text: t("care") }));
      var labels = (state.session && state.session.care_labels) || {};
      info.appendChild(el("ul", { className: "care" }, codes.map(function (code) {
        return el("li", {}, [el("img", { src: config.careUrl + code + ".svg", alt: labels[code] || code, title: labels[code] || code, width: "64", height: "64" })]);
      })));
      if (product.care.text) info.appendChild(el("p", { className: "note", text: product.care.text }));
    }

    var fit = product.fit || {};
    if (fit.type || fit.description || fit.model_height_cm) {
      info.appendChild(el("h2", { text: t("fit") }));
      var fitLine = [fit.type ? ((t("fits") || {})[fit.type] || fit.type) : null, fit.description].filter(Boolean).join(" · ");
      if (fitLine) info.appendChild(el("p", { text: fitLine }));
      if (fit.model_height_cm && fit.model_size) info.appendChild(el("p", { className: "note", text: fit.model_height_cm + " cm · " + t("size") + " " + fit.model_size }));
    }

    var chart = product.size_chart || {};
    if (chart.rows && chart.rows.length) {
      info.appendChild(el("h2", { text: t("sizeChart") }));
      var systems = ["eu", "it", "fr", "uk", "us", "jp"].filter(function (s) { return chart.rows.some(function (r) { return r[s]; }); });
      var measures = [];
      chart.rows.forEach(function (r) { Object.keys(r.measurements_cm || {}).forEach(function (m) { if (measures.indexOf(m) < 0) measures.push(m); }); });
      var head = el("tr", {}, [el("th", { scope: "col", text: t("size") })].concat(systems.map(function (s) { return el("th", { scope: "col", text: s.toUpperCase() }); }), measures.map(function (m) { return el("th", { scope: "col", text: m + " (cm)" }); })));
      var rows = chart.rows.map(function (r) {
        var current = selected && selected.size === r.size;
        return el("tr", { className: current ? "current" : null }, [el("th", { scope: "row", text: r.size })].concat(
          systems.map(function (s) { return el("td", { text: r[s] || "–" }); }),
          measures.map(function (m) { return el("td", { text: r.measurements_cm && r.measurements_cm[m] !== undefined ? String(r.measurements_cm[m]) : "–" }); })));
      });
      info.appendChild(el("div", { className: "chart" }, [el("table", { id: "size-chart" }, [el("thead", {}, [head]), el("tbody", {}, rows)])]));
      if (chart.advice) info.appendChild(el("p", { className: "note", text: chart.advice }));
    }

    if (product.description_html) {
      info.appendChild(el("h2", { text: t("description") }));
      var description = el("div", { className: "description" });
      // Sanitised on the server when it was saved (nh3): no scripts, no handlers, no styles.
      description.innerHTML = product.description_html;
      info.appendChild(description);
    }
    info.appendChild(el("button", { type: "button", className: "back", "data-action": "idle", text: t("back") }));
  }

  // Input -------------------------------------------------------------------------------
  function scanned(code) {
    performance.clearMarks("screen-scan");
    performance.clearMarks("screen-painted");
    performance.mark("screen-scan");
    lookup(code);
  }

  document.addEventListener("keydown", function (event) {
    armIdle();
    if (event.target && event.target.id === "code") return; // the form handles it
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var now = performance.now();
    if (now - state.bufferAt > 1000) state.buffer = "";
    state.bufferAt = now;
    if (event.key === "Enter") {
      if (state.buffer.length >= 3 && (body.dataset.state !== "enrol")) {
        event.preventDefault();
        scanned(state.buffer);
      }
      state.buffer = "";
    } else if (event.key.length === 1 && state.buffer.length < 64) {
      state.buffer += event.key;
    }
  });

  $("lookup").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("code");
    scanned(input.value);
    input.blur();
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.dataset.action === "idle" || target.id === "home") { target.blur(); idle(); return; }
    if (target.dataset.locale) {
      state.locale = target.dataset.locale;
      applyLabels();
      if (state.shown && body.dataset.state === "product") lookup(state.shown.code, state.locale);
      return;
    }
    if (target.dataset.colour !== undefined) {
      state.colourIndex = parseInt(target.dataset.colour, 10);
      state.sizeSku = null;
      drawProduct();
      return;
    }
    if (target.dataset.sku) {
      state.sizeSku = state.sizeSku === target.dataset.sku ? null : target.dataset.sku;
      drawProduct();
      return;
    }
    if (target.dataset.code) { scanned(target.dataset.code); return; }
    if (target.id === "camera") { startCamera(); return; }
    if (target.id === "camera-stop") { stopCamera(); }
  });
  ["pointerdown", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, armIdle, { passive: true });
  });

  // Camera: the native BarcodeDetector, or the vendored polyfill loaded on first use --------
  var FORMATS = ["ean_13", "ean_8", "upc_a", "upc_e", "code_128", "qr_code"];

  function setupCamera() {
    $("camera").hidden = !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  }

  function detector() {
    if ("BarcodeDetector" in window) return Promise.resolve(new window.BarcodeDetector({ formats: FORMATS }));
    return new Promise(function (resolve, reject) {
      if (window.BarcodeDetectionAPI) { resolve(); return; }
      var script = el("script", { src: config.scannerScript });
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    }).then(function () {
      var api = window.BarcodeDetectionAPI;
      api.prepareZXingModule({
        overrides: {
          locateFile: function (path, prefix) { return path.slice(-5) === ".wasm" ? config.scannerWasm : prefix + path; },
        },
      });
      return new api.BarcodeDetector({ formats: FORMATS });
    });
  }

  function startCamera() {
    var video = $("camera-video");
    Promise.all([detector(), navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })])
      .then(function (found) {
        var reader = found[0];
        var stream = found[1];
        state.camera = { stream: stream, timer: null };
        video.srcObject = stream;
        $("camera-view").hidden = false;
        return video.play().then(function () {
          var tick = function () {
            if (!state.camera) return;
            reader.detect(video).then(function (codes) {
              if (codes.length && state.camera) {
                var value = codes[0].rawValue;
                stopCamera();
                scanned(value);
              } else if (state.camera) {
                state.camera.timer = setTimeout(tick, 150);
              }
            }, function () { if (state.camera) state.camera.timer = setTimeout(tick, 300); });
          };
          tick();
        });
      })
      .catch(function () { stopCamera(); banner(t("cameraFailed")); });
  }

  function stopCamera() {
    if (!state.camera) return;
    clearTimeout(state.camera.timer);
    state.camera.stream.getTracks().forEach(function (track) { track.stop(); });
    state.camera = null;
    $("camera-video").srcObject = null;
    $("camera-view").hidden = true;
  }

  // Start -------------------------------------------------------------------------------
  var match = /(?:^#|&)enrol=([^&]+)/.exec(location.hash);
  if (match) {
    try { localStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1])); } catch (error) { /* private mode */ }
    state.token = decodeURIComponent(match[1]);
    history.replaceState(null, "", location.pathname + location.search);
  } else {
    try { state.token = localStorage.getItem(TOKEN_KEY); } catch (error) { state.token = null; }
  }
  applyLabels();
  if (!state.token) enrolState("not-enrolled");
  else startSession();
})();
