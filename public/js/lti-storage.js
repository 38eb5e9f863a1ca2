// Client-side OIDC state storage through the platform's frame (LTI postMessage storage), for launches
// inside an iframe where the browser blocks third-party cookies. Login page: store state and nonce in
// the platform, then go to its auth endpoint. Launch page: read the state back and post it as proof;
// if the platform does not answer, offer the new-window step instead of failing silently.
'use strict';
(function () {
  var root = document.getElementById('lti-storage');
  if (!root) return;
  var platformOrigin = root.getAttribute('data-platform-origin');
  var mode = root.getAttribute('data-mode');
  var state = root.getAttribute('data-state');
  var platformWindow = window.parent !== window ? window.parent : window.opener;
  var TIMEOUT_MS = 1500;

  function messageId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      })
      .join('');
  }

  // One request, one answer: `<subject>.response` with our message_id, from the platform's origin only.
  function ask(target, targetOrigin, message) {
    return new Promise(function (resolve, reject) {
      if (!target) return reject(new Error('no platform window'));
      var timer = setTimeout(function () {
        done();
        reject(new Error('timeout'));
      }, TIMEOUT_MS);
      function onMessage(event) {
        if (event.origin !== platformOrigin) return;
        var data = event.data;
        if (!data || typeof data !== 'object') return;
        if (data.subject !== message.subject + '.response' || data.message_id !== message.message_id) return;
        done();
        if (data.error) reject(new Error(String(data.error.code || 'error')));
        else resolve(data);
      }
      function done() {
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
      }
      window.addEventListener('message', onMessage);
      target.postMessage(message, targetOrigin);
    });
  }

  function frameByName(name) {
    if (!name || name === '_parent') return platformWindow;
    try {
      return platformWindow.frames[name] || platformWindow;
    } catch {
      return platformWindow;
    }
  }

  // Capabilities go to the parent with '*' (we cannot know its origin before it answers); everything
  // after goes to the advertised frame with the platform's origin as target.
  function capabilities() {
    return ask(platformWindow, '*', { subject: 'lti.capabilities', message_id: messageId() }).then(
      function (r) {
        var list = Array.isArray(r.supported_messages) ? r.supported_messages : [];
        function find(base) {
          for (var i = 0; i < list.length; i++) {
            var s = list[i] && list[i].subject;
            if (s === 'lti.' + base || s === 'org.imsglobal.lti.' + base) return list[i];
          }
          return null;
        }
        return { put: find('put_data'), get: find('get_data') };
      },
      function () {
        var fallback = root.getAttribute('data-storage-target');
        return {
          put: { subject: 'lti.put_data', frame: fallback },
          get: { subject: 'lti.get_data', frame: fallback },
        };
      },
    );
  }

  function put(cap, key, value) {
    if (!cap) return Promise.reject(new Error('put_data not supported'));
    return ask(frameByName(cap.frame), platformOrigin, {
      subject: cap.subject,
      message_id: messageId(),
      key: key,
      value: value,
    });
  }

  function get(cap, key) {
    if (!cap) return Promise.reject(new Error('get_data not supported'));
    return ask(frameByName(cap.frame), platformOrigin, {
      subject: cap.subject,
      message_id: messageId(),
      key: key,
    });
  }

  if (mode === 'login') {
    var nonce = root.getAttribute('data-nonce');
    var redirect = root.getAttribute('data-redirect');
    capabilities()
      .then(function (cap) {
        return put(cap.put, 'lti_state_' + state, state).then(function () {
          return put(cap.put, 'lti_nonce_' + nonce, nonce);
        });
      })
      .catch(function () {
        /* the launch page will offer the new-window step */
      })
      .then(function () {
        window.location.assign(redirect);
      });
  } else if (mode === 'launch') {
    var form = document.getElementById('lti-storage-form');
    capabilities()
      .then(function (cap) {
        return get(cap.get, 'lti_state_' + state);
      })
      .then(function (answer) {
        if (typeof answer.value !== 'string' || answer.value === '') throw new Error('no stored state');
        form.elements.namedItem('lti_storage_proof').value = answer.value;
        form.submit();
      })
      .catch(function () {
        root.hidden = true;
        var fallback = document.getElementById('lti-new-window');
        if (fallback) fallback.hidden = false;
      });
  }
})();
