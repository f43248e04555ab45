import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState, Prec, type Text } from '@codemirror/state';
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { useEffect, useRef } from 'react';
import type { ShaderDiagnostic } from '../../gpu/errors';
import { wgsl } from './wgslLanguage';

export interface EditorProps {
  /** Replaces the document when `doc.key` changes (exercise switch, reset); undo still works. */
  doc: { key: string; text: string };
  onChange?(text: string): void;
  /** Ctrl/Cmd-Enter. */
  onRun?(): void;
  diagnostics?: ShaderDiagnostic[];
  readOnly?: boolean;
  label: string;
}

// Classes, not colours, so workbench.css can follow the light/dark theme.
const highlight = HighlightStyle.define([
  { tag: tags.keyword, class: 'wb-tok-kw' },
  { tag: tags.typeName, class: 'wb-tok-type' },
  { tag: tags.number, class: 'wb-tok-num' },
  { tag: tags.bool, class: 'wb-tok-num' },
  { tag: tags.comment, class: 'wb-tok-comment' },
  { tag: tags.meta, class: 'wb-tok-attr' },
  { tag: [tags.function(tags.variableName), tags.standard(tags.variableName)], class: 'wb-tok-fn' },
]);

/** A compiler message's 1-based line and column as an editor range covering the word there. */
export function diagnosticRange(doc: Text, line: number, column: number): { from: number; to: number } {
  const l = doc.line(Math.min(Math.max(1, line || 1), doc.lines));
  const from = Math.min(l.to, l.from + Math.max(0, (column || 1) - 1));
  const word = /^\w+/.exec(doc.sliceString(from, l.to));
  return { from, to: word ? from + word[0].length : Math.min(l.to, from + 1) };
}

function toDiagnostics(doc: Text, ds: ShaderDiagnostic[]): Diagnostic[] {
  return ds.map((d) => ({
    ...diagnosticRange(doc, d.line, d.column),
    severity: d.type === 'info' ? 'info' : d.type,
    message: d.message,
    source: 'WGSL compiler',
  }));
}

/** CodeMirror 6 with WGSL highlighting, compiler messages inline, and Ctrl/Cmd-Enter to run. */
export default function Editor({ doc, onChange, onRun, diagnostics, readOnly, label }: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };
  const shownKey = useRef(doc.key);

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: doc.text,
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: () => {
                  callbacks.current.onRun?.();
                  return true;
                },
              },
            ]),
          ),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          lintGutter(),
          wgsl,
          syntaxHighlighting(highlight),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          // Teaching comments run long; wrapping keeps them readable without sideways scrolling.
          EditorView.lineWrapping,
          EditorState.tabSize.of(2),
          EditorState.readOnly.of(Boolean(readOnly)),
          EditorView.editable.of(!readOnly),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The view is created once; later documents arrive through the doc.key effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view is created once; documents arrive through the doc.key effect
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v || shownKey.current === doc.key) return;
    shownKey.current = doc.key;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: doc.text } });
  }, [doc.key, doc.text]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, toDiagnostics(v.state.doc, diagnostics ?? [])));
  }, [diagnostics]);

  return <div className="wb-editor" ref={host} />;
}
