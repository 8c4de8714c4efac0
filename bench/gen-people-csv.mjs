#!/usr/bin/env node
// gen-people-csv.mjs — a large, valid returnee register for timing
// `fangyi import DB people FILE.csv`.
//
//   node bench/gen-people-csv.mjs [ROWS] [VILLAGE,VILLAGE,...] > people.csv
//
// Deterministic (a seeded generator: the same arguments give the same
// bytes).  Every ID number is unique with a correct check character
// (GB 11643-1999) and a real birth date; phones are unique; villages are
// the names given (they must exist in the database: default 东村,西村);
// origins are regions the embedded table resolves.  About a third of the
// rows have no ID number (people found by name and phone on a second
// run), and one in ten has no travel.  UTF-8 with BOM and CRLF, as Excel
// saves a CSV.
const rows = Number(process.argv[2] || 100000);
const villages = (process.argv[3] || '东村,西村').split(',');

// mulberry32: small, fast, seeded
let seed = 0x5eed1234;
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function checkChar(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * W[i];
  return '10X98765432'[s % 11];
}

const counties = ['370724', '370702', '420106', '420102', '110105', '330302',
  '440304', '420902', '370781', '371302'];
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const given = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强春燕海燕晓东文博雨欣子涵浩然';
const origins = ['湖北省武汉市', '武汉', '湖北省孝感市', '北京市朝阳区',
  '广东省深圳市', '浙江省温州市', '上海市', '山东省青岛市', '江苏省苏州市',
  '河南省郑州市'];
const transports = ['火车', '高铁', '动车', '飞机', '大巴', '自驾', '其他'];
const sources = ['入户排查', '卡口', '自主申报', '上级推送'];
const reasons = ['探亲', '过年', '返乡', '务工结束', '放假'];

const header = ['姓名', '身份证号', '性别', '联系电话', '所属村', '网格',
  '详细住址', '返乡来源地', '途经地', '返乡日期', '交通方式', '车次航班车牌',
  '返乡事由', '密切接触史', '症状', '来源', '备注'];

const out = [];
const flush = () => { process.stdout.write(out.join('')); out.length = 0; };
out.push('\uFEFF' + header.join(',') + '\r\n');

const usedIds = new Set();
const base = Date.UTC(1950, 0, 1);
for (let i = 0; i < rows; i++) {
  const name = pick(surnames) + pick(given) + (rand() < 0.5 ? pick(given) : '');
  let id = '';
  let sex = rand() < 0.5 ? '男' : '女';
  if (rand() < 0.67) {
    for (;;) {
      const d = new Date(base + Math.floor(rand() * 20000) * 86400000);
      const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
      const seq = String(Math.floor(rand() * 1000)).padStart(3, '0');
      const first17 = pick(counties) + ymd + seq;
      id = first17 + checkChar(first17);
      if (!usedIds.has(id)) break;
    }
    usedIds.add(id);
    sex = Number(id[16]) % 2 ? '男' : '女';
  }
  const phone = '1' + (3 + (i % 7)) + String(i).padStart(9, '0');
  const village = villages[i % villages.length];
  const addr = `${village}${1 + Math.floor(rand() * 300)}号`;
  const cells = [name, id, sex, phone, village, '', addr];
  if (rand() < 0.9) {
    const day = 10 + Math.floor(rand() * 22);
    const date = rand() < 0.5 ? `2020-01-${String(day).padStart(2, '0')}`
      : `2020/1/${day}`;
    const tr = pick(transports);
    cells.push(pick(origins), rand() < 0.3 ? '郑州' : '', date, tr,
      tr === '自驾' ? '鲁G' + String(10000 + i % 90000) : 'G' + (100 + i % 900),
      pick(reasons), rand() < 0.02 ? '是' : '否', rand() < 0.01 ? '发热' : '无',
      pick(sources), '');
  } else {
    cells.push('', '', '', '', '', '', '', '', '', '');
  }
  out.push(cells.join(',') + '\r\n');
  if (out.length >= 5000) flush();
}
flush();
