import t from 'tap'
import { parseHocr } from '../../bench/engines/tesseract.js'

/** Two lines as Tesseract 5.3 writes them with `hocr_char_boxes=1` (abridged: one line is floating text). */
const HOCR = `
 <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 10 20 60 40">
  <span class='ocr_line' id='line_1_1' title="bbox 10 20 60 40; baseline 0 -2; x_size 20">
   <span class='ocrx_word' id='word_1_1' title='bbox 10 20 30 40; x_wconf 91'>
    <span class='ocrx_cinfo' title='x_bboxes 10 20 19 40; x_conf 95.5'>H</span>
    <span class='ocrx_cinfo' title='x_bboxes 20 21 30 40; x_conf 90.1'>I</span>
   </span>
   <span class='ocrx_word' id='word_1_2' title='bbox 40 20 60 40; x_wconf 80'>
    <strong><span class='ocrx_cinfo' title='x_bboxes 40 20 60 40; x_conf 80'>&amp;</span></strong>
   </span>
  </span>
  <span class='ocr_textfloat' id='line_1_2' title="bbox 12 50 22 70; baseline 0 0; x_size 20">
   <span class='ocrx_word' id='word_1_3' title='bbox 12 50 22 70; x_wconf 70'>
    <span class='ocrx_cinfo' title='x_bboxes 12 50 22 70; x_conf 70'>7</span>
   </span>
  </span>
 </p>`

t.test('hOCR with symbol boxes gives the lines and every symbol box', async (t) => {
  const { lines, charBoxes } = parseHocr(HOCR)
  t.same(lines, ['HI &', '7'])
  t.same(charBoxes, [
    { x: 10, y: 20, width: 9, height: 20 },
    { x: 20, y: 21, width: 10, height: 19 },
    { x: 40, y: 20, width: 20, height: 20 },
    { x: 12, y: 50, width: 10, height: 20 },
  ])
})

t.test('a page Tesseract found nothing on gives no lines and no boxes', async (t) => {
  t.same(parseHocr("<div class='ocr_page' id='page_1' title='bbox 0 0 100 100'></div>"), { lines: [], charBoxes: [] })
})
